import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { listening } from './redis-server';
import { waitFor } from './wait-for';

const HAS_SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].some((path) => existsSync(path));

/**
 * A test process that dies without cleaning up (a jest worker killed by Ctrl-C or a CI timeout)
 * must not leave its redis-server running: on the next run, dozens of orphans eat the CPU that
 * the timing-sensitive suites need.
 */
(HAS_SETPRIV ? describe : describe.skip)('RedisServer (test helper)', () => {
  it('dies with the process that started it, even one killed with SIGKILL', async () => {
    // A process that starts a server, says its port and folder, and waits to be killed.
    const script = `
      const { RedisServer } = require('./test/helpers/redis-server');
      RedisServer.start().then((s) => process.stdout.write(s.port + ' ' + s.dir + '\\n'));
      setInterval(() => undefined, 1000);
    `;
    const starter = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-e', script],
      { cwd: join(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const [port, dir] = await new Promise<[number, string]>((resolve, reject) => {
      let out = '';
      starter.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const [portText, folder] = out.trim().split(' ');
        if (out.includes('\n')) resolve([Number(portText), folder]);
      });
      starter.once('exit', (code) => reject(new Error(`the starter exited early (${code})`)));
    });
    expect(await listening(port)).toBe(true);

    starter.kill('SIGKILL');

    try {
      await waitFor(
        `the redis-server on port ${port} to end with its parent`,
        async () => !(await listening(port)),
        10_000,
        50,
      );
    } finally {
      // The orphan this test is about, if there is one: not left running.
      if (await listening(port)) {
        const client = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0 });
        await client.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
        client.disconnect();
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
