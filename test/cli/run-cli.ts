import { spawn } from 'node:child_process';
import { builtEntry, childEnv, PROJECT_ROOT } from '../blackbox/built-app';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

/** Runs the BUILT `rcc` (`node dist/apps/cli/main.js`) as a user would, optionally feeding stdin. */
export function runCli(
  args: string[],
  /** `cwd`: where the CLI looks for its `.env` file. */
  options: { env?: Record<string, string>; input?: string; cwd?: string } = {},
): Promise<CliRun> {
  const entry = builtEntry('cli');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], {
      cwd: options.cwd ?? PROJECT_ROOT,
      env: childEnv(options.env ?? {}),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, elapsedMs: Date.now() - started }));
    child.stdin.end(options.input ?? '');
  });
}
