import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { Observable, tap } from 'rxjs';
import type { AdminRequest } from '../auth/admin-request';
import { messageHolderOf } from '../auth/message-holder';
import type { AuditAction, AuditEntry } from './audit-entry';
import { AuditLog } from './audit-log';
import { requestFields } from './audit-request';
import { AUDITED } from './audited.decorator';

interface WriteResult {
  name?: unknown;
  version?: unknown;
  config?: unknown;
  created?: unknown;
  updated?: unknown;
  unchanged?: unknown;
  previousVersion?: unknown;
  changedKeys?: unknown;
  applied?: unknown;
}

/**
 * Records each successful write, and each served `?reveal=true` (routes marked `@Audited`),
 * after the answer is ready. Recording runs beside the answer: it never delays nor fails it.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Audit');
  /** Entries are built one after the other, so the log keeps the order the answers went out in. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditLog,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const kind = context.getType();
    if (kind !== 'http' && kind !== 'rpc') return next.handle();
    const action = this.reflector.get<AuditAction | undefined>(AUDITED, context.getHandler());
    if (!action) return next.handle();
    const asked = kind === 'http' ? httpAsked(context) : messageAsked(context);
    // A reveal route is audited only when it was asked to reveal; other routes never reveal.
    if (action === 'revealed' && !asked.revealed) return next.handle();
    return next.handle().pipe(
      tap((result: unknown) => {
        const base = { at: new Date().toISOString(), ...asked.fields() };
        const write = result as WriteResult | undefined;
        // A dry run of an import writes nothing, but it is audited as the preview it is: it reads
        // the stored configs (issue 23 #5).
        const recorded: AuditAction =
          action === 'imported' && write?.applied !== true ? 'import-previewed' : action;
        this.queue = this.queue
          .then(() => this.entryFor(recorded, asked.group, write))
          .then((fields) => this.audit.record({ ...base, ...fields }))
          .catch((error: Error) => this.logger.error(`Audit entry not built: ${error.message}`));
      }),
    );
  }

  private entryFor(
    action: AuditAction,
    param: string | null,
    result: WriteResult | undefined,
  ): Pick<AuditEntry, 'action' | 'group' | 'fromVersion' | 'toVersion' | 'keys' | 'groups'> {
    const group = param ?? (typeof result?.name === 'string' ? result.name : null);
    const toVersion = typeof result?.version === 'number' ? result.version : null;
    const entry = {
      action,
      group,
      fromVersion: null as number | null,
      toVersion,
      keys: [] as string[],
    };
    if (action === 'imported' || action === 'import-previewed') {
      const names = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
      return {
        ...entry,
        group: null,
        // A preview read every group of the file; an import wrote the created and updated ones.
        groups: [
          ...names(result?.created),
          ...names(result?.updated),
          ...(action === 'import-previewed' ? names(result?.unchanged) : []),
        ],
      };
    }
    // A rollout's entry names its candidate version; the keys are those of the rollout view.
    if (action.startsWith('rollout-')) return { ...entry, fromVersion: baseOf(result) };
    if (action === 'revealed' || action === 'deleted' || group === null || toVersion === null) {
      return entry;
    }
    // What the write changed, as the write itself told (ConfigGroupWrite): no read of the history.
    return {
      ...entry,
      fromVersion: typeof result?.previousVersion === 'number' ? result.previousVersion : null,
      keys: Array.isArray(result?.changedKeys) ? result.changedKeys.map(String) : [],
    };
  }
}

function baseOf(result: unknown): number | null {
  const base = (result as { baseVersion?: unknown } | undefined)?.baseVersion;
  return typeof base === 'number' ? base : null;
}

/** What an audited request asked: its group, whether it revealed, and who asked (after it ran). */
interface Asked {
  group: string | null;
  revealed: boolean;
  fields: () => Pick<AuditEntry, 'actor' | 'role' | 'address' | 'method' | 'path' | 'status'>;
}

function httpAsked(context: ExecutionContext): Asked {
  const request = context.switchToHttp().getRequest<AdminRequest>();
  const response = context.switchToHttp().getResponse<Response>();
  const name = request.params?.name;
  return {
    group: typeof name === 'string' ? name : null,
    revealed: ['true', '1'].includes(String(request.query?.reveal).toLowerCase()),
    fields: () => requestFields(request, response.statusCode),
  };
}

/** A message pattern: the token's holder (as the guard found it), the pattern as the path. */
function messageAsked(context: ExecutionContext): Asked {
  const rpc = context.switchToRpc();
  const transport = rpc.getContext<{ getChannel?: () => string }>();
  const data = rpc.getData<unknown>();
  const message =
    typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const holder = messageHolderOf(transport);
  return {
    group: typeof message.name === 'string' ? message.name : null,
    revealed: message.reveal === true,
    fields: () => ({
      actor: holder?.label ?? null,
      role: holder?.role ?? null,
      address: null,
      method: 'MESSAGE',
      path: typeof transport.getChannel === 'function' ? transport.getChannel() : 'message',
      status: 200,
    }),
  };
}
