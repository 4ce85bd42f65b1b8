import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerModuleOptions } from '@nestjs/throttler';
import type { AdminRequest } from '../auth/admin-request';
import { messageHolderOf } from '../auth/message-holder';
import { REQUIRED_ROLE } from '../auth/requires-role.decorator';
import type { AdminSettings } from '../settings/admin-settings';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether the request or message writes: an HTTP method other than a read, a writer's pattern. */
function isWrite(context: ExecutionContext): boolean {
  if (context.getType() === 'rpc') {
    const role = Reflect.getMetadata(REQUIRED_ROLE, context.getHandler()) as string | undefined;
    return role === 'writer' || role === 'admin';
  }
  return !READ_METHODS.has(context.switchToHttp().getRequest<AdminRequest>().method);
}

/**
 * The throttler counts writes only (reads are cheap and the console polls them), per token label
 * (one bucket per person, whatever their address), across every write route and every write
 * message pattern together: a writer has one budget, whichever door it uses.
 */
export function writeRateLimitOptions(settings: AdminSettings): ThrottlerModuleOptions {
  return {
    throttlers: [{ name: 'writes', ttl: 60_000, limit: Math.max(settings.writeRateLimit, 1) }],
    skipIf: (context: ExecutionContext) =>
      settings.writeRateLimit === 0 ||
      (context.getType() !== 'http' && context.getType() !== 'rpc') ||
      !isWrite(context),
    getTracker: (req: Record<string, unknown>) => {
      const request = req as unknown as AdminRequest;
      return request.adminAuthor ? `token:${request.adminAuthor}` : `ip:${request.ip ?? ''}`;
    },
    generateKey: (_context, tracker, name) => `${name}:${tracker}`,
    errorMessage: `Too many writes: at most ${settings.writeRateLimit} a minute per token`,
  };
}

/**
 * Nest's throttler, taught the message patterns: a message has no request or response, so its
 * "request" is the token holder the auth guard found (the same tracker as over HTTP), and its
 * "response" takes no headers.
 */
@Injectable()
export class WriteRateLimitGuard extends ThrottlerGuard {
  protected override getRequestResponse(context: ExecutionContext): {
    req: Record<string, unknown>;
    res: Record<string, unknown>;
  } {
    if (context.getType() !== 'rpc') return super.getRequestResponse(context);
    const holder = messageHolderOf(context.switchToRpc().getContext<object>());
    return { req: { adminAuthor: holder?.label, headers: {} }, res: {} };
  }
}
