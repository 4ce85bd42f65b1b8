import { rmSync } from 'node:fs';
import { RedisServer } from '../../test/helpers/redis-server';
import { atExit } from './bench-report';

/**
 * A real `redis-server` for a bench (the test helper's), killed even if the bench dies. Room for
 * 500 nodes and more: each node holds two connections.
 */
export async function startBenchRedis(extraArgs: string[] = []): Promise<RedisServer> {
  const server = await RedisServer.start({ extraArgs: ['--maxclients', '10000', ...extraArgs] });
  atExit(() => {
    void server.kill();
    rmSync(server.dir, { recursive: true, force: true });
  });
  return server;
}

/** `INFO <section>` as numbers (`field:value` lines; values that are not numbers are skipped). */
export function parseInfo(info: string): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of info.split('\r\n')) {
    const separator = line.indexOf(':');
    if (separator <= 0 || line.startsWith('#')) continue;
    const value = Number(line.slice(separator + 1));
    if (Number.isFinite(value)) fields.set(line.slice(0, separator), value);
  }
  return fields;
}

export interface CommandStat {
  calls: number;
  /** CPU time Redis spent in the command, µs (for EVALSHA: the whole script). */
  usec: number;
}

/** `INFO commandstats` as command name → calls and time. */
export function parseCommandStats(info: string): Map<string, CommandStat> {
  const stats = new Map<string, CommandStat>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    stats.set(match[1], { calls: Number(match[2]), usec: Number(match[3]) });
  }
  return stats;
}

/** What ran between two `INFO commandstats` readings (the INFO calls themselves left out). */
export function commandStatsDelta(
  before: Map<string, CommandStat>,
  after: Map<string, CommandStat>,
): Map<string, CommandStat> {
  const delta = new Map<string, CommandStat>();
  for (const [name, stat] of after) {
    if (name === 'info') continue;
    const was = before.get(name) ?? { calls: 0, usec: 0 };
    if (stat.calls > was.calls) {
      delta.set(name, { calls: stat.calls - was.calls, usec: stat.usec - was.usec });
    }
  }
  return delta;
}
