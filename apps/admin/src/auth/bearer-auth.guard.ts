import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { ADMIN_SETTINGS, AdminSettings } from '../settings/admin-settings';
import type { AdminRequest } from './admin-request';
import { AdminTokenRegistry } from './admin-token-registry';
import { IS_PUBLIC } from './public.decorator';

/**
 * Every HTTP route needs `Authorization: Bearer <token>` unless marked `@Public()`: reads too,
 * since groups hold API keys. Message patterns are not checked here: whoever reaches the Redis
 * transport can already write the groups hash directly.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  private readonly registry: AdminTokenRegistry;

  constructor(
    @Inject(ADMIN_SETTINGS) settings: AdminSettings,
    private readonly reflector: Reflector,
  ) {
    this.registry = new AdminTokenRegistry(settings.tokens);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<AdminRequest>();
    const token = AdminTokenRegistry.bearerToken(request.headers.authorization);
    const label = token === null ? null : this.registry.match(token);
    if (label === null) {
      http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="rcc-admin"');
      // Never echoes what was sent: it may be a real token of something else.
      throw new UnauthorizedException(
        token === null
          ? 'Missing "Authorization: Bearer <ADMIN_TOKEN>" header'
          : 'Invalid bearer token',
      );
    }
    request.adminAuthor = label;
    return true;
  }
}
