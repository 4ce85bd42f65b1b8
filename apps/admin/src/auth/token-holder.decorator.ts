import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AdminRequest } from './admin-request';
import type { TokenHolder } from './admin-token-registry';

/** Who authenticated the request (label and role), as the bearer guard found them. */
export const Holder = createParamDecorator(
  (_data: unknown, context: ExecutionContext): TokenHolder => {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    return { label: request.adminAuthor ?? 'unknown', role: request.adminRole ?? 'reader' };
  },
);
