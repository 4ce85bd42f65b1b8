import { ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** One command as MONITOR reports it: its arguments (unescaped) and the client's `ip:port`. */
export interface MonitoredCommand {
  args: string[];
  source: string;
}

// `1796154499.170739 [0 127.0.0.1:40000] "eval" "..."`: the client, then each argument quoted.
const LINE = /^\d+\.\d+ \[\d+ ([^\]]+)\] (.*)$/;
const ARGUMENT = /"((?:[^"\\]|\\.)*)"/g;

function unescape(text: string): string {
  return text.replace(/\\(x[0-9a-f]{2}|.)/g, (_match, code: string) =>
    code.length === 3
      ? String.fromCharCode(parseInt(code.slice(1), 16))
      : code === 'n'
        ? '\n'
        : code,
  );
}

/**
 * Redis's MONITOR stream, read from `redis-cli monitor` in a child process. ioredis's own
 * `monitor()` can take the first streamed lines for replies when they arrive in the same packet
 * as MONITOR's OK (a "Command queue state error" under load); a separate process cannot.
 */
export class RedisMonitor {
  private constructor(private readonly child: ChildProcess) {}

  /** Resolves once Redis has answered MONITOR: every command run after that is reported. */
  static start(
    port: number,
    onCommand: (command: MonitoredCommand) => void,
  ): Promise<RedisMonitor> {
    const child = spawn('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'monitor'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Promise((resolve, reject) => {
      let started = false;
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      lines.on('line', (line) => {
        if (!started) {
          if (line.trim() !== 'OK') return;
          started = true;
          resolve(new RedisMonitor(child));
          return;
        }
        const match = LINE.exec(line);
        if (!match) return;
        const args = [...match[2].matchAll(ARGUMENT)].map((argument) => unescape(argument[1]));
        onCommand({ args, source: match[1] });
      });
      child.once('error', reject);
      child.once('exit', (code) => {
        if (!started) reject(new Error(`redis-cli monitor exited with ${code} before OK`));
      });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
