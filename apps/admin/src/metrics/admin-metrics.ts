import { Injectable } from '@nestjs/common';
import { RedisConfigHealth } from '@rcc/redis-config';
import { NodeInfo } from '@rcc/redis-config/publisher';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** A group as the fleet gauges need it. */
export interface GroupVersion {
  name: string;
  version: number;
}

/** Kinds of write counted by `rcc_admin_writes_total` (and announced by the webhooks). */
export type WriteKind = 'created' | 'published' | 'deleted' | 'rolled-back' | 'imported';

/** Outcomes counted by `rcc_webhook_deliveries_total`. */
export type DeliveryOutcome = 'delivered' | 'retrying' | 'failed';

/**
 * The admin's Prometheus metrics, in a registry of its own (not prom-client's global one): two
 * admin apps in one process (the tests) do not share series. Names and meaning: docs/OPERATIONS.md.
 */
@Injectable()
export class AdminMetrics {
  readonly registry = new Registry();
  private readonly groups = this.gauge('rcc_groups', 'Config groups in the namespace');
  private readonly latest = this.gauge('rcc_group_latest_version', 'Latest version of each group', [
    'group',
  ]);
  private readonly holders = this.gauge('rcc_group_nodes', 'Live nodes holding each group', [
    'group',
  ]);
  private readonly behind = this.gauge(
    'rcc_group_nodes_behind',
    'Live nodes holding the group that do not run its latest version',
    ['group'],
  );
  private readonly writes = new Counter({
    name: 'rcc_admin_writes_total',
    help: 'Writes made through this admin, by kind',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  /** Groups whose latest rollout (DESIGN §13) is in each status; set at scrape time. */
  readonly rollouts = this.gauge(
    'rcc_rollouts',
    "Groups by the status of their latest rollout (each group's latest one counts)",
    ['status'],
  );
  /** Change requests awaiting approval (DESIGN §19), by environment; set at scrape time. */
  readonly pendingChanges = this.gauge(
    'rcc_admin_change_requests_pending',
    'Change requests awaiting approval in a protected environment, by environment',
    ['env'],
  );
  readonly httpDuration = new Histogram({
    name: 'rcc_admin_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern, method and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly deliveries = new Counter({
    name: 'rcc_webhook_deliveries_total',
    help: 'Webhook delivery attempts made by this admin, by outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  constructor(redis: RedisConfigHealth) {
    new Gauge({
      name: 'rcc_admin_redis_connected',
      help: '1 when the admin is connected to Redis, else 0',
      registers: [this.registry],
      // Read when scraped: nothing to keep up to date in between.
      collect() {
        this.set(redis.connected ? 1 : 0);
      },
    });
    collectDefaultMetrics({ register: this.registry });
    for (const kind of ['created', 'published', 'deleted', 'rolled-back', 'imported'] as const) {
      this.writes.inc({ kind }, 0); // every kind visible from the start, for rate() and alerts
    }
    for (const outcome of ['delivered', 'retrying', 'failed'] as const) {
      this.deliveries.inc({ outcome }, 0);
    }
  }

  /** Changes made through this admin (writes, rollout moves): a new count makes a scrape re-read. */
  changesSeen = 0;

  countWrite(kind: WriteKind): void {
    this.writes.inc({ kind });
    this.changesSeen++;
  }

  countDelivery(outcome: DeliveryOutcome): void {
    this.deliveries.inc({ outcome });
  }

  /** Sets the fleet gauges from one reading of the groups and the live nodes. */
  setFleet(groups: readonly GroupVersion[], nodes: readonly NodeInfo[]): void {
    this.clearFleet();
    this.groups.set(groups.length);
    const versions = new Map(groups.map((group) => [group.name, group.version]));
    for (const { name, version } of groups) {
      this.latest.set({ group: name }, version);
      this.holders.set({ group: name }, 0);
      this.behind.set({ group: name }, 0);
    }
    for (const node of nodes) {
      const latest = node.group === null ? undefined : versions.get(node.group);
      if (latest === undefined || node.group === null) continue; // none, or a group just deleted
      this.holders.inc({ group: node.group });
      if (node.version !== latest) this.behind.inc({ group: node.group });
    }
  }

  /** Sets `rcc_rollouts` from one reading: one series per status, 0 included. */
  setRollouts(counts: Record<string, number>): void {
    for (const [status, count] of Object.entries(counts)) this.rollouts.set({ status }, count);
  }

  /** Forgets the fleet gauges (Redis unreadable): no stale figure is served as current. */
  clearFleet(): void {
    for (const gauge of [this.groups, this.latest, this.holders, this.behind, this.rollouts])
      gauge.reset();
  }

  private gauge<L extends string>(name: string, help: string, labelNames: L[] = []): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }
}
