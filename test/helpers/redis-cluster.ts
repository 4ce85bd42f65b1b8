import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RedisServer } from './redis-server';

const run = promisify(execFile);

/**
 * A real three-master Redis Cluster on 127.0.0.1 (three `redis-server --cluster-enabled yes`
 * processes joined by `redis-cli --cluster create`), torn down with `dispose()`.
 */
export class RedisCluster {
  private constructor(readonly masters: RedisServer[]) {}

  static async start(): Promise<RedisCluster> {
    const masters = await Promise.all(
      [0, 1, 2].map(() =>
        RedisServer.start({
          extraArgs: [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '2000',
          ],
        }),
      ),
    );
    const cluster = new RedisCluster(masters);
    await run('redis-cli', [
      '--cluster',
      'create',
      ...masters.map((m) => `127.0.0.1:${m.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await cluster.waitUntilOk();
    return cluster;
  }

  /** `REDIS_CLUSTER_NODES` form: `host:port,host:port,...`. */
  get nodesEnv(): string {
    return this.masters.map((m) => `127.0.0.1:${m.port}`).join(',');
  }

  get nodes(): { host: string; port: number }[] {
    return this.masters.map((m) => ({ host: '127.0.0.1', port: m.port }));
  }

  async dispose(): Promise<void> {
    await Promise.all(this.masters.map((m) => m.dispose()));
  }

  private async waitUntilOk(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const states = await Promise.all(
        this.masters.map(async (m) => {
          const { stdout } = await run('redis-cli', ['-p', String(m.port), 'cluster', 'info']);
          return stdout.includes('cluster_state:ok');
        }),
      );
      if (states.every(Boolean)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('Redis Cluster did not reach cluster_state:ok');
  }
}
