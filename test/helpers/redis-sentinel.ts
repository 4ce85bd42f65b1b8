import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { freePort, RedisServer, spawnRedisServer } from './redis-server';

export const SENTINEL_MASTER_NAME = 'rccmaster';

/**
 * A real Sentinel set-up on 127.0.0.1: one master, one replica (AOF on both) and three sentinels
 * (`redis-server <conf> --sentinel`), with a quick failover for tests.
 */
export class RedisSentinelGroup {
  private constructor(
    readonly master: RedisServer,
    readonly replica: RedisServer,
    private readonly sentinels: { port: number; process: ChildProcess }[],
  ) {}

  static async start(): Promise<RedisSentinelGroup> {
    const master = await RedisServer.start({ appendOnly: true });
    const replica = await RedisServer.start({
      appendOnly: true,
      extraArgs: ['--replicaof', '127.0.0.1', String(master.port)],
    });
    const sentinels = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const conf = join(master.dir, `sentinel-${port}.conf`);
      writeFileSync(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${master.dir}`,
          `sentinel monitor ${SENTINEL_MASTER_NAME} 127.0.0.1 ${master.port} 2`,
          `sentinel down-after-milliseconds ${SENTINEL_MASTER_NAME} 1000`,
          `sentinel failover-timeout ${SENTINEL_MASTER_NAME} 5000`,
          `sentinel parallel-syncs ${SENTINEL_MASTER_NAME} 1`,
          '',
        ].join('\n'),
      );
      sentinels.push({
        port,
        process: spawnRedisServer([conf, '--sentinel']),
      });
    }
    const group = new RedisSentinelGroup(master, replica, sentinels);
    await group.waitForReplicaInSync();
    return group;
  }

  /** `REDIS_SENTINELS` form. */
  get sentinelsEnv(): string {
    return this.sentinels.map((s) => `127.0.0.1:${s.port}`).join(',');
  }

  /** The port the sentinels currently report as master. */
  async masterPort(): Promise<number> {
    const client = new Redis({
      host: '127.0.0.1',
      port: this.sentinels[0].port,
      lazyConnect: true,
    });
    try {
      await client.connect();
      const reply = (await client.call(
        'SENTINEL',
        'get-master-addr-by-name',
        SENTINEL_MASTER_NAME,
      )) as string[];
      return Number(reply[1]);
    } finally {
      client.disconnect();
    }
  }

  async dispose(): Promise<void> {
    for (const sentinel of this.sentinels) {
      const exited = new Promise((resolve) => sentinel.process.once('exit', resolve));
      if (sentinel.process.exitCode === null) {
        sentinel.process.kill('SIGKILL');
        await exited;
      }
    }
    await Promise.all([this.replica.dispose(), this.master.dispose()]);
  }

  private async waitForReplicaInSync(timeoutMs = 15_000): Promise<void> {
    const client = this.master.client();
    try {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const info = await client.info('replication');
        if (/slave0:.*state=online/.test(info)) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error('the replica did not come in sync');
    } finally {
      client.disconnect();
    }
  }
}
