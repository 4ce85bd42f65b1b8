import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AdminRedis } from '../common/admin-redis';
import { AdminEnvironments } from '../environments/admin-environments';
import { boundedEntry } from './audit-bounds';
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

type StreamEntry = [id: string, fields: string[]];

/**
 * The audit log: two Redis streams under the namespace's hash tag, each trimmed to exactly
 * `RCC_AUDIT_LIMIT` entries by each XADD (one entry out per entry in: O(1) at the admin's write
 * rates). Refused requests (401, 403: anyone can make them, no token needed) go to
 * `{ns}:audit-refused`, the rest (writes, reveals) to `{ns}:audit`: a flood of refused requests
 * pushes out older refusals only, never a real entry. Every caller-chosen field is cut to a bound
 * (`boundedEntry`), so each stream is bounded in bytes too. Reads merge both, newest first.
 * Recording never throws into a request: an entry that cannot be written is logged (without
 * values) and dropped.
 */
@Injectable()
export class AuditLog {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly environments: AdminEnvironments,
    @Inject(AUDIT_SETTINGS) private readonly settings: AuditSettings,
  ) {}

  /** Each environment keeps its own log, in its Redis (`?env=`, DESIGN §19). */
  private get redis(): AdminRedis {
    return this.environments.current().redis;
  }

  /** The stream of writes and reveals. */
  get key(): string {
    return `{${this.redis.namespace}}:audit`;
  }

  /** The stream of refused requests. */
  get refusedKey(): string {
    return `{${this.redis.namespace}}:audit-refused`;
  }

  /** Records `entry`, stamped now unless it carries its own time (when its answer went out). */
  async record(entry: Omit<AuditEntry, 'at'> & { at?: string }): Promise<void> {
    const stored = boundedEntry({ ...entry, at: entry.at ?? new Date().toISOString() });
    try {
      await this.redis.client.xadd(
        stored.action === 'refused' ? this.refusedKey : this.key,
        'MAXLEN',
        String(this.settings.limit),
        '*',
        'entry',
        JSON.stringify(stored),
      );
    } catch (error) {
      this.logger.error(
        `Audit entry ${stored.action} by ${stored.actor ?? 'nobody'} not recorded: ${(error as Error).message}`,
      );
    }
  }

  /** Newest first, the entries matching `filter`, at most `filter.limit`. */
  async list(filter: AuditFilter): Promise<AuditEntry[]> {
    const streams =
      filter.action === 'refused'
        ? [this.pages(this.refusedKey)]
        : filter.action
          ? [this.pages(this.key)]
          : [this.pages(this.key), this.pages(this.refusedKey)];
    const found: AuditEntry[] = [];
    // Both streams take their ids from one Redis clock: merging by id keeps the order of time.
    for await (const [, fields] of newestFirst(streams)) {
      const entry = parseEntry(fields);
      if (entry && matches(entry, filter)) found.push(entry);
      if (found.length >= filter.limit) break;
    }
    return found;
  }

  /** The stream's entries, newest first, a page per read (each stream is bounded). */
  private async *pages(key: string): AsyncGenerator<StreamEntry> {
    let end = '+';
    for (;;) {
      const page = (await this.redis.client.xrevrange(
        key,
        end,
        '-',
        'COUNT',
        PAGE,
      )) as StreamEntry[];
      yield* page;
      if (page.length < PAGE) return;
      end = `(${page[page.length - 1][0]}`;
    }
  }
}

/** Stream ids `ms-seq`, compared as numbers. */
function newer(a: string, b: string): boolean {
  const [aMs, aSeq] = a.split('-').map(BigInt);
  const [bMs, bSeq] = b.split('-').map(BigInt);
  return aMs !== bMs ? aMs > bMs : aSeq > bSeq;
}

/** Entries of several newest-first streams, merged newest first. */
async function* newestFirst(streams: AsyncGenerator<StreamEntry>[]): AsyncGenerator<StreamEntry> {
  const heads = await Promise.all(streams.map((stream) => stream.next()));
  for (;;) {
    let pick = -1;
    heads.forEach((head, i) => {
      if (head.done) return;
      const best = pick < 0 ? null : heads[pick];
      if (!best || best.done || newer(head.value[0], best.value[0])) pick = i;
    });
    if (pick < 0) return;
    const head = heads[pick];
    if (head.done) return;
    yield head.value;
    heads[pick] = await streams[pick].next();
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
