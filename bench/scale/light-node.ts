import Redis from 'ioredis';
import { join } from 'node:path';

type ScriptClient = Redis & Record<string, (...args: unknown[]) => Promise<unknown>>;

interface Placement {
  group: string | null;
  pinned: boolean;
  full: boolean;
  outcome: string;
  record: string | null;
}
interface Scripts {
  assign(
    request: {
      nodeId: string;
      requested: string;
      mode: string;
      capacity: number;
      /** The pool's globs (matched in Redis). */
      pool: { globs: string[] };
    },
    report: object,
  ): Promise<Placement>;
  /** With the check when one is due (and a null report: unchanged). */
  heartbeat(
    nodeId: string,
    report: object | null,
    check?: { nodeId: string; held: string; requested: string; shared: string[] } | null,
  ): Promise<unknown>;
  release(nodeId: string): Promise<boolean>;
}
interface Keys {
  groups: string;
  control: string;
  groupEvents(group: string): string;
}
type ParsedEvent = {
  type: string;
  group: string;
  version?: number | null;
  publishedAtMs?: number;
  inline?: { text: string } | null;
};

/** The library modules a simulated node runs: the real scripts, keys and event parser. */
export interface Wire {
  withScripts(client: Redis): ScriptClient;
  AssignmentScripts: new (client: ScriptClient, keys: Keys, leaseMs: number) => Scripts;
  ConfigKeys: new (namespace: string) => Keys;
  parseNamespaceEvent(message: string): ParsedEvent | null;
}

/** Loads the wire of this checkout's sources. */
export function loadWire(): Wire {
  const base = join(__dirname, '..', '..', 'libs', 'redis-config', 'src');
  const scripts = require(join(base, 'wire', 'redis-scripts')) as Pick<Wire, 'withScripts'>;
  const assignment = require(join(base, 'assignment', 'assignment-scripts')) as Pick<
    Wire,
    'AssignmentScripts'
  >;
  const keys = require(join(base, 'wire', 'config-keys')) as Pick<Wire, 'ConfigKeys'>;
  const events = require(join(base, 'wire', 'namespace-event')) as Pick<
    Wire,
    'parseNamespaceEvent'
  >;
  return { ...scripts, ...assignment, ...keys, ...events };
}

/** What a worker's nodes saw, drained by the controller. */
export class NodeStats {
  /** publish → applied, ms (Redis time of the write against this host's clock: one machine). */
  applied: number[] = [];
  /** Messages and bytes the subscribers received, per node id. */
  heard = new Map<string, { messages: number; bytes: number }>();
  /** When a node took a new group after its group was deleted (epoch ms). */
  reassignedAt: number[] = [];
  errors = 0;
  /** Heartbeats that found the node's place gone or different (a lease that ran out). */
  lostPlaces = 0;
  /** Connection errors of the subscribers (refused or timed-out connects, retried by ioredis). */
  connectErrors = 0;

  /** What was collected since the last drain, and a fresh start. */
  drain() {
    const drained = {
      applied: this.applied,
      heard: [...this.heard.entries()],
      reassignedAt: this.reassignedAt,
      errors: this.errors,
      connectErrors: this.connectErrors,
      lostPlaces: this.lostPlaces,
    };
    this.applied = [];
    this.heard = new Map();
    this.reassignedAt = [];
    this.errors = 0;
    this.connectErrors = 0;
    this.lostPlaces = 0;
    return drained;
  }

  hear(id: string, bytes: number): void {
    const entry = this.heard.get(id) ?? { messages: 0, bytes: 0 };
    entry.messages++;
    entry.bytes += bytes;
    this.heard.set(id, entry);
  }
}

export interface LightNodeSettings {
  wire: Wire;
  keys: Keys;
  namespace: string;
  leaseMs: number;
  refreshMs: number;
  stats: NodeStats;
  /** When true, timers skip their heartbeats and ticks (a measurement of one operation). */
  quiet: () => boolean;
}

/**
 * One light node: its own subscriber connection with a node's real subscriptions, the real
 * assign / heartbeat / release scripts with a node's periodic calls (through the library's script
 * registry, over a command connection shared by the worker's nodes), the real event parser. Not
 * run: Nest, the validate hook, snapshots, the rebalance scheduler's debounce (a `rebalance` ask
 * or a freed place is acted on at once).
 */
export class LightNode {
  held: { name: string; version: number } | null = null;
  holding: 'pinned' | 'assigned' | 'none' = 'none';
  private readonly scripts: Scripts;
  private subscribedGroup: string | null = null;
  private timers: NodeJS.Timeout[] = [];
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  /** The report Redis has from this node's beats (JSON); null: send it. */
  private reportSent: string | null = null;

  constructor(
    readonly id: string,
    private readonly requested: string,
    private readonly client: ScriptClient,
    private readonly subscriber: Redis,
    private readonly settings: LightNodeSettings,
  ) {
    this.scripts = new settings.wire.AssignmentScripts(client, settings.keys, settings.leaseMs);
  }

  async start(): Promise<void> {
    const { keys } = this.settings;
    const onMessage = (_channel: string, message: string) => this.onMessage(message);
    this.subscriber.on('message', onMessage);
    this.subscriber.on('smessage', onMessage);
    await this.subscriber.ssubscribe(keys.control);
    await this.follow(this.requested);
    await this.decide('place');
    const { leaseMs, refreshMs } = this.settings;
    // As a real node: when Redis no longer has it where it believes (its lease ran out while
    // Redis was too busy), it decides again.
    const checkPlace = async (entry: string | null) => {
      const believed = this.held
        ? `${this.holding === 'pinned' ? 'p' : 'a'}:${this.held.name}`
        : null;
      if (entry !== believed) {
        this.settings.stats.lostPlaces++;
        await this.decide('place');
      }
    };
    // One call per period, min(lease / 3, refresh), that renews the lease and,
    // about every refresh (as LeaseKeeper decides), runs the check; the report only when it
    // changed (a decision writes its own as well).
    const periodMs = Math.floor(Math.min(leaseMs / 3, refreshMs));
    let checkedAt: number | null = null;
    this.every(periodMs, async () => {
      const json = JSON.stringify(this.report());
      const now = performance.now();
      const due = checkedAt === null || now - checkedAt >= refreshMs - periodMs / 2;
      if (due) checkedAt = now;
      const { entry, infoStored } = (await this.scripts.heartbeat(
        this.id,
        json === this.reportSent ? null : this.report(),
        due
          ? {
              nodeId: this.id,
              held: this.held?.name ?? '',
              requested: this.requested,
              shared: [],
            }
          : null,
      )) as { entry: string | null; infoStored: boolean };
      this.reportSent = infoStored ? json : null;
      await checkPlace(entry);
    });
  }

  async stop(release: boolean): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await this.queue;
    if (release) await this.scripts.release(this.id);
    this.subscriber.disconnect();
  }

  private every(ms: number, work: () => Promise<unknown>): void {
    // A random phase, as nodes that started at different times have.
    const first = setTimeout(() => {
      const timer = setInterval(() => {
        if (!this.stopped && !this.settings.quiet())
          work().catch(() => this.settings.stats.errors++);
      }, ms);
      this.timers.push(timer);
    }, Math.random() * ms);
    this.timers.push(first);
  }

  private decide(mode: 'place' | 'rebalance', deleted = false): Promise<void> {
    this.queue = this.queue
      .then(async () => {
        if (this.stopped) return;
        // As a node does: it sends its pool's globs (every group here).
        const pool = { globs: [] };
        const placement = await this.scripts.assign(
          { nodeId: this.id, requested: this.requested, mode, capacity: 0, pool },
          this.report(),
        );
        let record = placement.record;
        if (placement.group && placement.group !== this.subscribedGroup) {
          await this.follow(placement.group);
          record = await this.client.hget(this.settings.keys.groups, placement.group);
        }
        const before = this.held?.name ?? null;
        this.holding = placement.group ? (placement.pinned ? 'pinned' : 'assigned') : 'none';
        this.held = placement.group ? { name: placement.group, version: versionOf(record) } : null;
        if (deleted && placement.group && placement.group !== before)
          this.settings.stats.reassignedAt.push(Date.now());
      })
      .catch(() => {
        this.settings.stats.errors++;
      });
    return this.queue;
  }

  private async follow(group: string): Promise<void> {
    const { keys } = this.settings;
    if (group === this.subscribedGroup) return;
    const previous = this.subscribedGroup;
    this.subscribedGroup = group;
    await this.subscriber.ssubscribe(keys.groupEvents(group));
    if (previous) await this.subscriber.sunsubscribe(keys.groupEvents(previous));
  }

  private onMessage(message: string): void {
    const { stats, wire } = this.settings;
    stats.hear(this.id, Buffer.byteLength(message));
    const event = wire.parseNamespaceEvent(message);
    if (!event || this.stopped) return;
    const held = this.held;
    if ((event.type === 'published' || event.type === 'rollback') && event.group === held?.name) {
      if (typeof event.version === 'number' && event.version > held.version) {
        if (event.inline) {
          held.version = event.version;
          if (event.publishedAtMs) stats.applied.push(Date.now() - event.publishedAtMs);
        } else {
          void this.client.hget(this.settings.keys.groups, held.name).then((raw) => {
            held.version = versionOf(raw);
            if (event.publishedAtMs) stats.applied.push(Date.now() - event.publishedAtMs);
          });
        }
      }
    } else if (event.type === 'deleted' && event.group === held?.name) {
      void this.decide('place', true);
    } else if (event.type === 'released' && this.holding === 'none') {
      void this.decide('place');
    } else if (
      event.type === 'rebalance' &&
      event.group === held?.name &&
      this.holding === 'assigned'
    ) {
      void this.decide('rebalance');
    }
  }

  private report(): object {
    return {
      appliedAtMs: null,
      id: this.id,
      address: '127.0.0.1',
      requestedGroup: this.requested,
      group: this.held?.name ?? null,
      version: this.held?.version ?? null,
      holding: this.holding,
      shared: [],
    };
  }
}

function versionOf(record: string | null): number {
  if (!record) return -1;
  try {
    const version = (JSON.parse(record) as { group_version?: unknown }).group_version;
    return typeof version === 'number' ? version : -1;
  } catch {
    return -1;
  }
}
