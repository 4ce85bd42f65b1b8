import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { RedisConfigModuleOptions } from '@rcc/redis-config';

/** A node running in a child process (see fixtures/node-process.ts), which a test can SIGKILL. */
export class NodeProcess {
  private constructor(
    private readonly child: ChildProcess,
    /** The group it held once bootstrapped. */
    readonly group: string | null,
  ) {}

  static async start(options: RedisConfigModuleOptions, timeoutMs = 20_000): Promise<NodeProcess> {
    const root = join(__dirname, '..', '..');
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        join(__dirname, 'fixtures', 'node-process.ts'),
        JSON.stringify(options),
      ],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, TS_NODE_PROJECT: join(root, 'tsconfig.json') },
      },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const group = await new Promise<string | null>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`node process not ready within ${timeoutMs} ms: ${stderr}`));
      }, timeoutMs);
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const line = stdout.split('\n').find((text) => text.startsWith('{'));
        if (!line) return;
        clearTimeout(timer);
        resolve((JSON.parse(line) as { group: string | null }).group);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`node process exited (${code}) before it was ready: ${stderr}`));
      });
    });
    return new NodeProcess(child, group);
  }

  /** Kills the process with no chance to release anything, as a crash or an OOM kill would. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    await exited;
  }
}
