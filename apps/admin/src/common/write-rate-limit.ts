import type { ExecutionContext } from '@nestjs/common';
import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import type { AdminRequest } from '../auth/admin-request';
import type { AdminSettings } from '../settings/admin-settings';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The throttler counts writes only (reads are cheap and the console polls them), per token label
 * (one bucket per person, whatever their address), across every write route together.
 */
export function writeRateLimitOptions(settings: AdminSettings): ThrottlerModuleOptions {
  return {
    throttlers: [{ name: 'writes', ttl: 60_000, limit: Math.max(settings.writeRateLimit, 1) }],
    skipIf: (context: ExecutionContext) =>
      settings.writeRateLimit === 0 ||
      context.getType() !== 'http' ||
      READ_METHODS.has(context.switchToHttp().getRequest<AdminRequest>().method),
    getTracker: (req: Record<string, unknown>) => {
      const request = req as unknown as AdminRequest;
      return request.adminAuthor ? `token:${request.adminAuthor}` : `ip:${request.ip ?? ''}`;
    },
    generateKey: (_context, tracker, name) => `${name}:${tracker}`,
    errorMessage: `Too many writes: at most ${settings.writeRateLimit} a minute per token`,
  };
}
