import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AdminRequest } from './admin-request';

/** The label of the token that authenticated the request: the author recorded in the history. */
export const Author = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<AdminRequest>();
  return request.adminAuthor ?? 'unknown';
});
