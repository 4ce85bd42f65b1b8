import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { RedisServer } from './redis-server';

const run = promisify(execFile);

export interface RedisClusterOptions {
  /** Replicas per master (`--cluster-replicas`): 0 (default) or 1, for failover tests. */
  replicas?: 0 | 1;
}

/** Who serves a slot, as `CLUSTER SLOTS` of a live node says. */
export interface SlotOwners {
  master: RedisServer;
  replicas: RedisServer[];
}

const SERVER_ARGS = [
  '--cluster-enabled',
  'yes',
  '--cluster-config-file',
  'nodes.conf',
  // Small, so a killed master is failed over in a few seconds.
  '--cluster-node-timeout',
  '2000',
];

/**
 * A real Redis Cluster on 127.0.0.1: three masters (`redis-server --cluster-enabled yes`
 * processes joined by `redis-cli --cluster create`), optionally with one replica each, torn down
 * with `dispose()`. With replicas, a slot's master can be failed over by hand (`failover`) or
 * killed (`killMaster`, the automatic failover).
 */
export class RedisCluster {
  private constructor(
    /** The masters at creation (a failover changes who is master: see `owners`). */
    readonly masters: RedisServer[],
    /** Every server, masters and replicas. */
    readonly servers: RedisServer[],
  ) {}

  static async start(options: RedisClusterOptions = {}): Promise<RedisCluster> {
    const replicas = options.replicas ?? 0;
    const servers = await Promise.all(
      Array.from({ length: 3 * (1 + replicas) }, () =>
        RedisServer.start({ extraArgs: SERVER_ARGS }),
      ),
    );
    // `--cluster create` makes the first three listed the masters, the rest their replicas.
    const cluster = new RedisCluster(servers.slice(0, 3), servers);
    try {
      await run('redis-cli', [
        '--cluster',
        'create',
        ...servers.map((s) => `127.0.0.1:${s.port}`),
        '--cluster-replicas',
        String(replicas),
        '--cluster-yes',
      ]);
      await cluster.waitUntilOk();
      if (replicas > 0) await cluster.waitUntilReplicasSynced();
    } catch (error) {
      await cluster.dispose();
      throw error;
    }
    return cluster;
  }

  /** `REDIS_CLUSTER_NODES` form: `host:port,host:port,...` (the masters at creation). */
  get nodesEnv(): string {
    return this.masters.map((m) => `127.0.0.1:${m.port}`).join(',');
  }

  get nodes(): { host: string; port: number }[] {
    return this.masters.map((m) => ({ host: '127.0.0.1', port: m.port }));
  }

  /** The master and replicas serving `slot` now, as a running server reports them. */
  async owners(slot: number): Promise<SlotOwners> {
    for (const server of this.servers.filter((s) => s.running)) {
      let ranges: unknown;
      try {
        ranges = await this.command(server, 'CLUSTER', 'SLOTS');
      } catch {
        continue;
      }
      for (const range of ranges as [number, number, ...[string, number, string][]][]) {
        const [from, to, ...hosts] = range;
        if (slot < from || slot > to) continue;
        const [master, ...replicas] = hosts.map(([, port]) => this.byPort(port));
        return { master, replicas };
      }
    }
    throw new Error(`no running node serves slot ${slot}`);
  }

  /**
   * A manual failover of `slot`'s master: `CLUSTER FAILOVER` on its replica (the master hands over
   * without losing a write). Resolves once every running node agrees the replica is the master.
   */
  async failover(
    slot: number,
    timeoutMs = 20_000,
  ): Promise<{ from: RedisServer; to: RedisServer }> {
    const { master, replicas } = await this.owners(slot);
    const replica = replicas[0];
    if (!replica) throw new Error(`slot ${slot} has no replica`);
    await this.command(replica, 'CLUSTER', 'FAILOVER');
    await this.waitUntilMaster(slot, replica, timeoutMs);
    // The old master is now the new one's replica: ready for the next failover once in sync.
    await this.waitUntilReplicasSynced(timeoutMs);
    return { from: master, to: replica };
  }

  /**
   * Kills `slot`'s master (`SIGKILL`): after `cluster-node-timeout` its replica is elected
   * (the automatic failover). Resolves once the surviving nodes agree on the new master.
   */
  async killMaster(
    slot: number,
    timeoutMs = 30_000,
  ): Promise<{ from: RedisServer; to: RedisServer }> {
    const { master, replicas } = await this.owners(slot);
    const replica = replicas[0];
    if (!replica) throw new Error(`slot ${slot} has no replica`);
    await master.kill();
    await this.waitUntilMaster(slot, replica, timeoutMs);
    return { from: master, to: replica };
  }

  async dispose(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.dispose()));
  }

  /** One command on one server, on a connection of its own (closed after it, whatever happens). */
  async command(server: RedisServer, command: string, ...args: string[]): Promise<unknown> {
    const client = new Redis({
      host: '127.0.0.1',
      port: server.port,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 1000,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return await client.call(command, ...args);
    } finally {
      client.disconnect();
    }
  }

  private byPort(port: number): RedisServer {
    const server = this.servers.find((s) => s.port === port);
    if (!server) throw new Error(`port ${port} is not a node of this cluster`);
    return server;
  }

  /** Until every running node says `to` is `slot`'s master and reports cluster_state:ok. */
  private async waitUntilMaster(slot: number, to: RedisServer, timeoutMs: number): Promise<void> {
    await this.poll(`${to.port} to be the master of slot ${slot}`, timeoutMs, async () => {
      const running = this.servers.filter((s) => s.running);
      const views = await Promise.all(
        running.map(async (server) => {
          const slots = (await this.command(server, 'CLUSTER', 'SLOTS')) as [
            number,
            number,
            [string, number, string],
          ][];
          const range = slots.find(([from, end]) => slot >= from && slot <= end);
          const info = String(await this.command(server, 'CLUSTER', 'INFO'));
          return range?.[2][1] === to.port && info.includes('cluster_state:ok');
        }),
      );
      return views.every(Boolean);
    });
  }

  private async waitUntilOk(timeoutMs = 15_000): Promise<void> {
    await this.poll('cluster_state:ok on every node', timeoutMs, async () => {
      const states = await Promise.all(
        this.servers.map(async (s) =>
          String(await this.command(s, 'CLUSTER', 'INFO')).includes('cluster_state:ok'),
        ),
      );
      return states.every(Boolean);
    });
  }

  /**
   * Until every replica has finished its first sync (`master_link_status:up`) and every node lists
   * a replica for every slot range (gossip has spread it: a failover needs both).
   */
  private async waitUntilReplicasSynced(timeoutMs = 15_000): Promise<void> {
    await this.poll('every replica in sync and known', timeoutMs, async () => {
      const states = await Promise.all(
        this.servers
          .filter((s) => s.running)
          .map(async (s) => {
            const info = String(await this.command(s, 'INFO', 'replication'));
            const slots = (await this.command(s, 'CLUSTER', 'SLOTS')) as unknown[][];
            return (
              (info.includes('role:master') || info.includes('master_link_status:up')) &&
              slots.every((range) => range.length >= 4)
            );
          }),
      );
      return states.every(Boolean);
    });
  }

  private async poll(
    what: string,
    timeoutMs: number,
    check: () => Promise<boolean>,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        if (await check()) return;
      } catch (error) {
        last = error;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Redis Cluster: timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
