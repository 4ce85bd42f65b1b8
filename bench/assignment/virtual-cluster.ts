import Redis from 'ioredis';
import { ConfigKeys } from '@rcc/redis-config/wire/config-keys';
import { reactionTo } from '@rcc/redis-config/assignment/assignment-event';
import { parseNamespaceEvent } from '@rcc/redis-config/wire/namespace-event';
import { AssignmentScripts } from '@rcc/redis-config/assignment/assignment-scripts';
import type { PlacementMode } from '@rcc/redis-config/assignment/placement';
import {
  RebalancePolicy,
  RebalanceScheduler,
} from '@rcc/redis-config/assignment/rebalance-scheduler';
import { withScripts } from '@rcc/redis-config/wire/redis-scripts';

export interface VirtualNode {
  id: string;
  address: string;
  group: string | null;
  pinned: boolean;
  /** Decisions run one after another per node, as the library's follower queues them. */
  queue: Promise<void>;
  /** When the node last took a group (ms, performance.now()). */
  placedAt: number;
  /** The library's own debounce, jitter and cooldown of rebalance checks. */
  scheduler: RebalanceScheduler;
}

/**
 * A thousand nodes in one process, each doing what a library node does, over the real Lua
 * scripts: decide (the assign script, which returns the decided group's
 * record too), and react to the namespace's events with the library's own rule (`reactionTo`) and rebalance timing
 * (`RebalanceScheduler`). Only Nest is left out, so the figures are those of Redis and of the
 * protocol, not of a thousand Nest contexts on two cores.
 */
export class VirtualCluster {
  readonly nodes = new Map<string, VirtualNode>();
  private readonly clients: Redis[];
  private readonly scripts: AssignmentScripts[];
  private subscriber: Redis | null = null;
  /** performance.now() of the last decision that changed a node's group, and of the last one. */
  private lastChangeAt = 0;
  private lastDecisionAt = 0;

  constructor(
    port: number,
    private readonly keys: ConfigKeys,
    private readonly options: {
      connections: number;
      /** Long enough that no lease runs out during a run (virtual nodes send no heartbeats). */
      leaseMs: number;
      capacity: number;
      rebalance: RebalancePolicy;
    },
  ) {
    this.clients = Array.from(
      { length: options.connections },
      () => new Redis({ host: '127.0.0.1', port }),
    );
    this.scripts = this.clients.map(
      (client) => new AssignmentScripts(withScripts(client), keys, options.leaseMs),
    );
  }

  /**
   * One subscriber hears for all the virtual nodes what each would hear (protocol 2,
   * docs/PROTOCOL.md): every group's channel, `{ns}:control` and `{ns}:places`; each node then
   * reacts only to what concerns it (`reactionTo`). Sharded pub/sub has no pattern subscription,
   * so this namespace is set to plain pub/sub (`{ns}:protocol pubsub plain`) for a PSUBSCRIBE.
   */
  async listen(port: number): Promise<void> {
    this.subscriber = new Redis({ host: '127.0.0.1', port });
    await this.subscriber.hset(this.keys.protocol, 'pubsub', 'plain');
    this.subscriber.on('message', (_channel: string, message: string) => this.react(message));
    this.subscriber.on('pmessage', (_pattern: string, _channel: string, message: string) =>
      this.react(message),
    );
    await this.subscriber.subscribe(this.keys.control, this.keys.places);
    await this.subscriber.psubscribe(`${this.keys.groupChannels}*`);
  }

  add(id: string, address: string): VirtualNode {
    const node: VirtualNode = {
      id,
      address,
      group: null,
      pinned: false,
      queue: Promise.resolve(),
      placedAt: 0,
      scheduler: new RebalanceScheduler(this.options.rebalance, () => {
        void this.decide(node, 'rebalance');
      }),
    };
    this.nodes.set(id, node);
    return node;
  }

  /** Queues a decision of the node, as its follower would. */
  decide(node: VirtualNode, mode: PlacementMode): Promise<void> {
    node.queue = node.queue.then(() => this.run(node, mode));
    return node.queue;
  }

  /** Waits until no node has a decision pending. */
  async idle(): Promise<void> {
    for (;;) {
      const queues = [...this.nodes.values()].map((node) => node.queue);
      await Promise.all(queues);
      if ([...this.nodes.values()].every((node, i) => node.queue === queues[i])) return;
    }
  }

  /**
   * Waits until a decision ran after `since` and none for `quietMs` (longer than the longest
   * rebalance delay); returns when the last group change happened.
   */
  async settled(since: number, quietMs: number): Promise<number> {
    for (;;) {
      await this.idle();
      if (this.lastDecisionAt > since && performance.now() - this.lastDecisionAt >= quietMs) {
        return this.lastChangeAt;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Mean time of one heartbeat script call (ms), as the client sees it. */
  async timeHeartbeats(node: VirtualNode, count: number): Promise<number> {
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      await this.scripts[0].heartbeat(node.id, {
        id: node.id,
        address: node.address,
        requestedGroup: 'default',
        group: node.group,
        version: 0,
        holding: 'assigned',
      });
    }
    return (performance.now() - started) / count;
  }

  groupOf(): Map<string, string | null> {
    return new Map([...this.nodes.values()].map((node) => [node.id, node.group]));
  }

  async close(): Promise<void> {
    for (const node of this.nodes.values()) node.scheduler.stop();
    await this.idle();
    this.subscriber?.disconnect();
    for (const client of this.clients) client.disconnect();
  }

  private async run(node: VirtualNode, mode: PlacementMode): Promise<void> {
    const index = Number(node.id.replace(/\D/g, '')) % this.scripts.length;
    const placement = await this.scripts[index].assign(
      {
        nodeId: node.id,
        requested: 'default',
        mode,
        capacity: this.options.capacity,
        pool: { globs: [] },
      },
      {
        id: node.id,
        address: node.address,
        requestedGroup: 'default',
        group: node.group,
        version: null,
        holding: node.group ? 'assigned' : 'none',
      },
    );
    this.lastDecisionAt = performance.now();
    if (placement.outcome === 'moved') node.scheduler.moved();
    if (placement.group !== null && placement.group !== node.group) {
      // The script returned the new group's record with its decision, as a library node reads it.
      if (placement.record === null) throw new Error(`no record for ${placement.group}`);
      node.placedAt = this.lastChangeAt = performance.now();
    }
    if (placement.group !== null || placement.full) {
      node.group = placement.group;
      node.pinned = placement.pinned;
    }
  }

  private react(message: string): void {
    // Parsed once for all the virtual nodes, as a library node parses it once for its consumers.
    const event = parseNamespaceEvent(message);
    if (!event) return;
    for (const node of this.nodes.values()) {
      if (event.type === 'deleted') {
        if (node.group === event.group) void this.decide(node, 'place');
        continue;
      }
      const reaction = reactionTo(event, {
        holding: node.pinned ? 'pinned' : node.group ? 'assigned' : 'none',
        group: node.group,
        requested: 'default',
        inPool: () => true,
        capacity: this.options.capacity,
      });
      if (reaction === 'place') void this.decide(node, 'place');
      else if (reaction === 'rebalance') node.scheduler.trigger();
    }
  }
}
