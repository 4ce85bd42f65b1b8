import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { NamespaceEvents } from '../connection/namespace-events';
import { RedisConfigHealth } from '../connection/redis-config-health';
import { ConfigChangeReason } from '../node/config-change';
import { NodeState } from '../node/node-state';
import { RolloutParticipant } from '../node/rollout-participant';
import { RESOLVED_REDIS_CONFIG_OPTIONS } from '../options/redis-config.constants';
import type { ResolvedRedisConfigOptions } from '../options/redis-config.options';
import type { MetricsRegistry } from '../options/metrics-option';
import { PublishTimes } from './publish-times';

type PromClient = typeof import('prom-client');

/** Every series name this node registers (removed again when the app closes). */
export const NODE_METRIC_NAMES = [
  'rcc_node_config_version',
  'rcc_node_publish_to_applied_seconds',
  'rcc_node_rejections_total',
  'rcc_node_problems_total',
  'rcc_node_reloads_total',
  'rcc_node_redis_connected',
  'rcc_node_lease_state',
] as const;

const LEASE_STATES = ['pinned', 'assigned', 'waiting', 'none'] as const;

/**
 * The node's Prometheus metrics (`metrics` / `RCC_METRICS`), built only from what the node
 * publishes anyway: `changes$`, its current group, its Redis state, and the change events (for the
 * publish time they carry). Nothing runs on the read path; gauges are read when scraped.
 * prom-client is loaded here, and only when metrics are on.
 */
@Injectable()
export class NodeMetrics implements OnModuleInit, OnModuleDestroy {
  private registry: MetricsRegistry | null = null;
  private subscriptions: Subscription | null = null;
  private lastReason: ConfigChangeReason | null = null;
  private problems: { inc(): void } | null = null;

  constructor(
    @Inject(RESOLVED_REDIS_CONFIG_OPTIONS) private readonly options: ResolvedRedisConfigOptions,
    private readonly state: NodeState,
    private readonly events: NamespaceEvents,
    private readonly redis: RedisConfigHealth,
    private readonly rollouts: RolloutParticipant,
  ) {}

  /** Runs before the node's first load (listed before `NodeRuntime`), so `loaded` is counted too. */
  onModuleInit(): void {
    if (!this.options.metrics) return;
    const prom = require('prom-client') as PromClient;
    const registry = (this.options.metrics.registry ?? prom.register) as MetricsRegistry;
    const taken = NODE_METRIC_NAMES.find((name) => registry.getSingleMetric(name));
    if (taken) {
      // Not thrown: a failed bootstrap would leave the module's connections open. Said loudly.
      new Logger('RedisConfig').error(
        `metrics: the registry already holds ${taken}; this node registers none (two nodes ` +
          'in one process? give each its own { registry })',
      );
      return;
    }
    this.registry = registry;
    this.register(prom, registry as unknown as import('prom-client').Registry);
  }

  /** Counts a problem the app reported (the seam for `reportProblem`, DESIGN §13). */
  countProblem(): void {
    this.problems?.inc();
  }

  onModuleDestroy(): void {
    this.subscriptions?.unsubscribe();
    for (const name of NODE_METRIC_NAMES) this.registry?.removeSingleMetric(name);
    this.registry = null;
  }

  private register(prom: PromClient, registry: import('prom-client').Registry): void {
    const registers = [registry];
    const state = this.state;
    const redis = this.redis;
    const leaseState = () => this.leaseState();
    new prom.Gauge({
      name: 'rcc_node_config_version',
      help: 'Version of the group this node runs (one series: its current group)',
      labelNames: ['group'],
      registers,
      collect() {
        this.reset();
        const group = state.current;
        if (group) this.set({ group: group.name }, group.version);
      },
    });
    const applied = new prom.Histogram({
      name: 'rcc_node_publish_to_applied_seconds',
      help: 'Seconds from a publish (Redis time, carried by its event) to this node applying it',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    const rejections = new prom.Counter({
      name: 'rcc_node_rejections_total',
      help: 'Versions this node refused (validate failed, or unreadable JSON)',
      registers,
    });
    this.problems = new prom.Counter({
      name: 'rcc_node_problems_total',
      help: 'Problems the app reported with the config it runs',
      registers,
    });
    const reloads = new prom.Counter({
      name: 'rcc_node_reloads_total',
      help: 'Changes of the group this node runs, by reason',
      labelNames: ['reason'],
      registers,
    });
    new prom.Gauge({
      name: 'rcc_node_redis_connected',
      help: '1 when the node is connected to Redis, else 0',
      registers,
      collect() {
        this.set(redis.connected ? 1 : 0);
      },
    });
    new prom.Gauge({
      name: 'rcc_node_lease_state',
      help: 'What the node holds: pinned, assigned, waiting (every group full) or none (1 = current)',
      labelNames: ['state'],
      registers,
      collect() {
        const current = leaseState();
        for (const state of LEASE_STATES) this.set({ state }, state === current ? 1 : 0);
      },
    });
    const times = new PublishTimes();
    this.subscriptions = this.events.events$.subscribe((event) => {
      // Only the held group's versions (the node also hears its shared groups).
      if (event.type !== 'published' && event.type !== 'rollback') return;
      if (event.group === state.current?.name) times.heard(event);
    });
    this.subscriptions.add(this.rollouts.problems$.subscribe(() => this.countProblem()));
    this.subscriptions.add(
      state.changes.subscribe((change) => {
        this.lastReason = change.reason;
        reloads.inc({ reason: change.reason });
        if (change.reason === 'rejected') rejections.inc();
        const seconds = change.current && times.appliedAfter(change.current, Date.now());
        if (typeof seconds === 'number') applied.observe(seconds);
      }),
    );
  }

  private leaseState(): (typeof LEASE_STATES)[number] {
    if (this.state.holding !== 'none') return this.state.holding;
    return this.lastReason === 'unassigned' ? 'waiting' : 'none';
  }
}
