import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '../..');

export type BuiltApp = 'admin' | 'example' | 'cli';

/** `GET /config` of the example node (DESIGN §10, §12). */
export interface ExampleConfigView {
  nodeId: string;
  group: string | null;
  version: number | null;
  config: Record<string, unknown>;
  pinned: boolean;
  shared: { name: string; version: number | null }[];
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The built entry point of an app; fails with what to do when the build has not run. */
export function builtEntry(app: BuiltApp): string {
  const entry = join(PROJECT_ROOT, 'dist', 'apps', app, 'main.js');
  if (!existsSync(entry)) {
    throw new Error(`${entry} is missing: run npm run build first (npm test does it in pretest)`);
  }
  return entry;
}

/** A minimal, explicit environment: the tests must not depend on the caller's REDIS_URL & co. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', ...extra };
}

/** A built app running as a child process, with its output kept for failure messages. */
export class AppProcess {
  private output = '';
  private exit: Promise<ProcessExit>;

  /** `child`: a process started with its stdout and stderr piped (`start()` for a built app). */
  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exit = new Promise((resolveExit) =>
      child.once('exit', (code, signal) => resolveExit({ code, signal })),
    );
  }

  /** `cwd`: where the app looks for its `.env` file. */
  static start(
    app: BuiltApp,
    env: Record<string, string>,
    name: string = app,
    cwd = PROJECT_ROOT,
  ): AppProcess {
    const child = spawn(process.execPath, [builtEntry(app)], {
      cwd,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new AppProcess(name, child);
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** The last part of what it printed, for assertion messages. */
  get log(): string {
    return this.output;
  }

  /** Polls `url` until it answers 2xx; fails early (with the app's output) if the app exits. */
  async waitForHttp(url: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`${this.name} exited before answering:\n${this.output}`);
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolveWait) => setTimeout(resolveWait, 50));
    }
    throw new Error(`${this.name} did not answer ${url} within ${timeoutMs} ms:\n${this.output}`);
  }

  /** Resolves when the app exits by itself; fails (with its output) if it still runs after `timeoutMs`. */
  async waitForExit(timeoutMs = 20_000): Promise<ProcessExit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${this.name} still runs after ${timeoutMs} ms:\n${this.output}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.exit, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends it abruptly (SIGKILL), as a crash would; resolves on exit. */
  kill(): Promise<ProcessExit> {
    if (!this.exited) this.child.kill('SIGKILL');
    return this.exit;
  }

  /**
   * SIGTERM (a clean shutdown), then SIGKILL if it does not end in time; resolves on exit. A Nest
   * app with shutdown hooks re-raises the signal once closed: a clean stop ends by `SIGTERM`.
   */
  async stop(timeoutMs = 10_000): Promise<ProcessExit> {
    if (!this.exited) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
      try {
        return await this.exit;
      } finally {
        clearTimeout(timer);
      }
    }
    return this.exit;
  }
}
