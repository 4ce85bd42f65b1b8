import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';

/** util-linux's `setpriv`, where there is one (every Debian has it; macOS has none). */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));

/**
 * Spawns `redis-server` with `args` so that it dies with the process that started it: a jest
 * worker killed by Ctrl-C or by a CI timeout leaves no server behind. `setpriv --pdeathsig` sets
 * the parent-death signal and then execs redis-server in its place, so the child's pid, and the
 * signals the tests send it (SIGKILL, SIGSTOP), stay redis-server's own. Without `setpriv`, a
 * plain spawn.
 */
export function spawnRedisServer(args: string[]): ChildProcess {
  return SETPRIV
    ? spawn(SETPRIV, ['--pdeathsig', 'KILL', '--', 'redis-server', ...args], { stdio: 'ignore' })
    : spawn('redis-server', args, { stdio: 'ignore' });
}

/** Whether something accepts connections on 127.0.0.1:`port` (a process still serving it). */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RedisServerOptions {
  /** Keep data across restarts with an append-only file. */
  appendOnly?: boolean;
  extraArgs?: string[];
}

/**
 * A real `redis-server` process on a free port of 127.0.0.1, with its own data folder. It can be
 * killed (`SIGKILL`), paused (`SIGSTOP`) and started again on the same port and data.
 */
export class RedisServer {
  private process: ChildProcess | null = null;
  readonly dir = mkdtempSync(join(tmpdir(), 'rcc-redis-'));

  private constructor(
    readonly port: number,
    private readonly options: RedisServerOptions,
  ) {}

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), options);
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.process !== null;
  }

  /** The server's process id while it runs. */
  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** (Re)starts the process on the same port and data folder, and waits until it answers PING. */
  async restart(): Promise<void> {
    if (this.process) return;
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--save',
      '',
      '--appendonly',
      this.options.appendOnly ? 'yes' : 'no',
      '--appendfsync',
      'always',
      ...(this.options.extraArgs ?? []),
    ];
    const child = spawnRedisServer(args);
    this.process = child;
    child.on('exit', () => {
      if (this.process === child) this.process = null;
    });
    await this.waitForPing();
  }

  /** Ends the process abruptly, as a crash would. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** Ends the process cleanly. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /**
   * Freezes the process (`SIGSTOP`), as a network stall would: connections stay open, nothing
   * answers. `resume()` (or `kill()`/`dispose()`) ends the pause.
   */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  /** Lets a paused process run again (`SIGCONT`); it then answers what was sent meanwhile. */
  resume(): void {
    this.process?.kill('SIGCONT');
  }

  /** A client for the test itself (closed by the caller). */
  client(): Redis {
    return new Redis({
      host: '127.0.0.1',
      port: this.port,
      lazyConnect: false,
      maxRetriesPerRequest: 1,
    });
  }

  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.process;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
    this.process = null;
  }

  private async waitForPing(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await pingOnce(this.port)) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`redis-server on port ${this.port} did not answer within ${timeoutMs} ms`);
  }
}

/** A namespace no other test uses, so suites can share one server without seeing each other. */
export function uniqueNamespace(label = 'test'): string {
  return `rcc-test::${label}::${process.pid}::${Math.random().toString(36).slice(2, 10)}`;
}

/** One raw RESP PING (no client library: nothing left behind). */
function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.on('connect', () => socket.write('PING\r\n'));
  });
}
