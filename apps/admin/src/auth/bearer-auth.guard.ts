import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  InternalServerErrorException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { ADMIN_SETTINGS, AdminSettings } from '../settings/admin-settings';
import type { AdminRequest } from './admin-request';
import { AdminRole, roleAllows } from './admin-role';
import { AdminTokenRegistry, TokenHolder } from './admin-token-registry';
import { rememberMessageHolder } from './message-holder';
import { IS_PUBLIC } from './public.decorator';
import { REQUIRED_ROLE } from './requires-role.decorator';

/**
 * Every HTTP route needs `Authorization: Bearer <token>` unless marked `@Public()`: reads too,
 * since groups hold API keys; and the token's role must reach the one the route declares with
 * `@RequiresRole` (401: no or an unknown token; 403: a known token with too low a role).
 * Message patterns are checked the same way, with the token in the message (`{ token, ... }`),
 * taken out before validation so that it never travels further.
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
    const kind = context.getType();
    if (kind !== 'http' && kind !== 'rpc') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const needed = this.reflector.getAllAndOverride<AdminRole | undefined>(REQUIRED_ROLE, targets);
    if (!needed) {
      // A route that forgot to say who may use it is refused to everyone, never opened.
      throw new InternalServerErrorException('This route declares no role');
    }
    if (kind === 'rpc') return this.authorizeMessage(context, needed);
    const http = context.switchToHttp();
    const request = http.getRequest<AdminRequest>();
    const token = AdminTokenRegistry.bearerToken(request.headers.authorization);
    const holder = token === null ? null : this.registry.match(token);
    if (holder === null) {
      http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="rcc-admin"');
      // Never echoes what was sent: it may be a real token of something else.
      throw new UnauthorizedException(
        token === null
          ? 'Missing "Authorization: Bearer <ADMIN_TOKEN>" header'
          : 'Invalid bearer token',
      );
    }
    request.adminAuthor = holder.label;
    request.adminRole = holder.role;
    this.checkRole(holder, needed, 'route');
    return true;
  }

  /** A message pattern: the same tokens and roles, the token as the message's `token` member. */
  private authorizeMessage(context: ExecutionContext, needed: AdminRole): boolean {
    const rpc = context.switchToRpc();
    const data: unknown = rpc.getData();
    let token: unknown = null;
    if (typeof data === 'object' && data !== null && Object.hasOwn(data, 'token')) {
      token = (data as Record<string, unknown>).token;
      delete (data as Record<string, unknown>).token;
    }
    const holder = typeof token === 'string' ? this.registry.match(token) : null;
    if (holder === null) {
      throw new UnauthorizedException(
        token === null
          ? 'Missing "token" in the message: every message pattern needs a token of ADMIN_TOKEN or ADMIN_TOKENS'
          : 'Invalid token',
      );
    }
    // Known before the role check: a refusal is audited with the token's label.
    rememberMessageHolder(rpc.getContext<object>(), holder);
    this.checkRole(holder, needed, 'message pattern');
    return true;
  }

  private checkRole(holder: TokenHolder, needed: AdminRole, what: string): void {
    if (!roleAllows(holder.role, needed)) {
      throw new ForbiddenException(
        `This ${what} needs the "${needed}" role; the token "${holder.label}" has "${holder.role}"`,
      );
    }
  }
}
