import { Inject, Injectable, Logger } from '@nestjs/common';
import { AdminRedis } from '../common/admin-redis';
import { AUDIT_ACTIONS, AuditAction, AuditEntry } from './audit-entry';
import { AUDIT_SETTINGS, AuditSettings } from './audit.settings';

/** What `GET /api/audit` filters on; every field optional. */
export interface AuditFilter {
  group?: string;
  actor?: string;
  action?: AuditAction;
  limit: number;
}

/** How many stream entries one read takes while filtering (newest first). */
const PAGE = 500;

/**
 * The audit log: a Redis stream `{ns}:audit` under the namespace's hash tag, trimmed to exactly
 * `RCC_AUDIT_LIMIT` entries by each XADD (one entry out per entry in: O(1) at the admin's write
 * rates). Recording never throws into a request: an entry that cannot be written is logged
 * (without values) and dropped.
 */
@Injectable()
export class AuditLog {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly redis: AdminRedis,
    @Inject(AUDIT_SETTINGS) private readonly settings: AuditSettings,
  ) {}

  get key(): string {
    return `{${this.redis.namespace}}:audit`;
  }

  /** Records `entry`, stamped now unless it carries its own time (when its answer went out). */
  async record(entry: Omit<AuditEntry, 'at'> & { at?: string }): Promise<void> {
    const stored: AuditEntry = { ...entry, at: entry.at ?? new Date().toISOString() };
    try {
      await this.redis.client.xadd(
        this.key,
        'MAXLEN',
        String(this.settings.limit),
        '*',
        'entry',
        JSON.stringify(stored),
      );
    } catch (error) {
      this.logger.error(
        `Audit entry ${entry.action} by ${entry.actor ?? 'nobody'} not recorded: ${(error as Error).message}`,
      );
    }
  }

  /** Newest first, the entries matching `filter`, at most `filter.limit`. */
  async list(filter: AuditFilter): Promise<AuditEntry[]> {
    const found: AuditEntry[] = [];
    let end = '+';
    // The stream is bounded: at most RCC_AUDIT_LIMIT entries are ever scanned.
    for (;;) {
      const page = (await this.redis.client.xrevrange(this.key, end, '-', 'COUNT', PAGE)) as [
        string,
        string[],
      ][];
      for (const [, fields] of page) {
        const entry = parseEntry(fields);
        if (entry && matches(entry, filter)) found.push(entry);
        if (found.length >= filter.limit) return found;
      }
      if (page.length < PAGE) return found;
      end = `(${page[page.length - 1][0]}`;
    }
  }
}

function parseEntry(fields: string[]): AuditEntry | null {
  const index = fields.indexOf('entry');
  if (index < 0 || index + 1 >= fields.length) return null;
  try {
    const value = JSON.parse(fields[index + 1]) as AuditEntry;
    return AUDIT_ACTIONS.includes(value.action) ? value : null;
  } catch {
    return null; // not ours: someone else wrote into the stream
  }
}

function matches(entry: AuditEntry, filter: AuditFilter): boolean {
  if (filter.action && entry.action !== filter.action) return false;
  if (filter.actor && entry.actor !== filter.actor) return false;
  if (filter.group && entry.group !== filter.group && !entry.groups?.includes(filter.group)) {
    return false;
  }
  return true;
}
