import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './wait-for';

const HAS_SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].some((path) => existsSync(path));

/**
 * Whether `pid` is still the redis-server on `port`. Checked by its command line, not by the
 * port (another suite may start a server on a port freed meanwhile) nor by `kill(pid, 0)` (an
 * ended orphan stays a zombie, with an empty command line, until init reaps it).
 */
function stillServing(pid: number, port: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`:${port}`);
  } catch {
    return false; // gone
  }
}

/**
 * A test process that dies without cleaning up (a jest worker killed by Ctrl-C or a CI timeout)
 * must not leave its redis-server running: on the next run, dozens of orphans eat the CPU that
 * the timing-sensitive suites need.
 */
(HAS_SETPRIV ? describe : describe.skip)('RedisServer (test helper)', () => {
  it('dies with the process that started it, even one killed with SIGKILL', async () => {
    // A process that starts a server, says which (pid, port, folder), and waits to be killed.
    const script = `
      const { RedisServer } = require('./test/helpers/redis-server');
      RedisServer.start().then((s) => process.stdout.write([s.pid, s.port, s.dir].join(' ') + '\\n'));
      setInterval(() => undefined, 1000);
    `;
    const starter = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-e', script],
      { cwd: join(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const [pid, port, dir] = await new Promise<[number, number, string]>((resolve, reject) => {
      let out = '';
      starter.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const [pidText, portText, folder] = out.trim().split(' ');
        if (out.includes('\n')) resolve([Number(pidText), Number(portText), folder]);
      });
      starter.once('exit', (code) => reject(new Error(`the starter exited early (${code})`)));
    });
    expect(stillServing(pid, port)).toBe(true);

    starter.kill('SIGKILL');

    try {
      await waitFor(
        `the redis-server ${pid} on port ${port} to end with its parent`,
        () => !stillServing(pid, port),
        10_000,
        50,
      );
    } finally {
      // The orphan this test is about, if there is one: not left running.
      if (stillServing(pid, port)) process.kill(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
