import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { RedisConfigHealth } from '@rcc/redis-config';
import type { Response } from 'express';
import { Observable, of, throwError } from 'rxjs';
import type { AuditLog } from '../audit/audit-log';
import { requestFields } from '../audit/audit-request';
import type { AdminRequest } from '../auth/admin-request';
import { messageHolderOf } from '../auth/message-holder';
import { ChangeRequested } from '../changes/change-requested';
import { errorResponse } from './error-response';

/**
 * One error format for both faces of the app: JSON with a fitting status over HTTP, and the same
 * object as the error of a message-pattern reply (a `ClientProxy` receives it as is).
 */
@Catch()
export class AdminExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('AdminErrors');

  constructor(
    private readonly redis: RedisConfigHealth,
    private readonly audit: Pick<AuditLog, 'record'>,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<unknown> | void {
    // A write in a protected environment became a change request (DESIGN §19): 202, not an error.
    if (exception instanceof ChangeRequested) {
      if (host.getType() === 'rpc') return of(exception.change);
      const response = host.switchToHttp().getResponse<Response>();
      if (!response.headersSent) response.status(202).json(exception.change);
      return;
    }
    const body = errorResponse(exception, this.redis.connected);
    if (body.statusCode >= 500) {
      // The stack goes to the log only; the client gets a message that reveals nothing.
      const detail = exception instanceof Error ? (exception.stack ?? exception.message) : '';
      this.logger.error(`${body.statusCode} ${body.message}`, detail);
    }
    if (host.getType() === 'rpc') {
      if (body.statusCode === 401 || body.statusCode === 403) this.auditRefusedMessage(host, body);
      return throwError(() => body);
    }
    const request = host.switchToHttp().getRequest<AdminRequest>();
    if (body.statusCode === 401 || body.statusCode === 403) {
      // Every refused request is audited (DESIGN §14): who, from where, on what; never the token.
      const group = typeof request.params?.name === 'string' ? request.params.name : null;
      void this.audit.record({
        ...requestFields(request, body.statusCode),
        action: 'refused',
        group,
        fromVersion: null,
        toVersion: null,
        keys: [],
      });
    }
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    response.status(body.statusCode).json(body);
  }

  /** A message pattern refused (no, an unknown or a too weak token): audited as a request is. */
  private auditRefusedMessage(host: ArgumentsHost, body: { statusCode: number }): void {
    const rpc = host.switchToRpc();
    const context = rpc.getContext<{ getChannel?: () => string }>();
    const data: unknown = rpc.getData();
    const name =
      typeof data === 'object' && data !== null ? (data as Record<string, unknown>).name : null;
    const holder = messageHolderOf(context);
    void this.audit.record({
      actor: holder?.label ?? null,
      role: holder?.role ?? null,
      address: null,
      method: 'MESSAGE',
      path: typeof context.getChannel === 'function' ? context.getChannel() : 'message',
      status: body.statusCode,
      action: 'refused',
      group: typeof name === 'string' ? name.slice(0, 200) : null,
      fromVersion: null,
      toVersion: null,
      keys: [],
    });
  }
}
