import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ConfigGroupStore, type ConfigDict } from '@rcc/redis-config';
import type { Response } from 'express';
import { Observable, tap } from 'rxjs';
import type { AdminRequest } from '../auth/admin-request';
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
    private readonly store: ConfigGroupStore,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const action = this.reflector.get<AuditAction | undefined>(AUDITED, context.getHandler());
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const revealed = ['true', '1'].includes(String(request.query?.reveal).toLowerCase());
    // A reveal route is audited only when it was asked to reveal; other routes never reveal.
    if (!action || (action === 'revealed' && !revealed)) return next.handle();
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      tap((result: unknown) => {
        const base = {
          at: new Date().toISOString(),
          ...requestFields(request, response.statusCode),
        };
        const write = result as WriteResult | undefined;
        // A dry run of an import writes nothing: it is a preview, not a write.
        if (action === 'imported' && write?.applied !== true) return;
        this.queue = this.queue
          .then(() => this.entryFor(action, request, write))
          .then((fields) => this.audit.record({ ...base, ...fields }))
          .catch((error: Error) => this.logger.error(`Audit entry not built: ${error.message}`));
      }),
    );
  }

  private async entryFor(
    action: AuditAction,
    request: AdminRequest,
    result: WriteResult | undefined,
  ): Promise<
    Pick<AuditEntry, 'action' | 'group' | 'fromVersion' | 'toVersion' | 'keys' | 'groups'>
  > {
    const param = request.params?.name;
    const group =
      typeof param === 'string' ? param : typeof result?.name === 'string' ? result.name : null;
    const toVersion = typeof result?.version === 'number' ? result.version : null;
    const entry = { action, group, fromVersion: null, toVersion, keys: [] as string[] };
    if (action === 'imported') {
      const names = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
      return {
        ...entry,
        group: null,
        groups: [...names(result?.created), ...names(result?.updated)],
      };
    }
    // A rollout's entry names its candidate version; the keys are those of the rollout view.
    if (action.startsWith('rollout-')) return { ...entry, fromVersion: baseOf(result) };
    if (action === 'revealed' || action === 'deleted' || group === null || toVersion === null) {
      return entry;
    }
    // The keys the write changed: its version against the one before it, read from the history.
    const history = await this.store.history(group);
    const after = history.find((item) => item.version === toVersion)?.config;
    const before = history.find((item) => item.version === toVersion - 1);
    return {
      ...entry,
      fromVersion: before ? before.version : null,
      keys: after ? changedKeys(before?.config ?? {}, after) : [],
    };
  }
}

function baseOf(result: unknown): number | null {
  const base = (result as { baseVersion?: unknown } | undefined)?.baseVersion;
  return typeof base === 'number' ? base : null;
}

function changedKeys(before: ConfigDict, after: ConfigDict): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .sort();
}
