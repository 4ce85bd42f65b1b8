import { ChildProcess, fork } from 'node:child_process';
import { get } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { BenchAppMessage } from '../apps/bench-app-host';
import { atExit } from './bench-report';
import { exited } from './ts-child';

/** A running bench app (compiled JavaScript), and how long it took to serve its first value. */
export interface LaunchedApp {
  child: ChildProcess;
  port: number;
  /** Parent's clock: spawn → first `GET /value` answered. */
  firstValueMs: number;
  /** Child's clock, from its process start: modules loaded; app listening. */
  loadedMs: number;
  listeningMs: number;
  body: string;
}

function nextMessage<T extends BenchAppMessage['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<BenchAppMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`no "${type}" from the app in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (message: BenchAppMessage) => {
      if (message.type === type) finish(null, message as Extract<BenchAppMessage, { type: T }>);
    };
    const onExit = (code: number | null) => finish(new Error(`the app exited (code ${code})`));
    const finish = (error: Error | null, message?: Extract<BenchAppMessage, { type: T }>) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message!);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

function httpGet(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        response.statusCode === 200
          ? resolve(body)
          : reject(new Error(`GET ${path}: ${response.statusCode} ${body}`)),
      );
    });
    request.on('error', reject);
  });
}

/**
 * Spawns `node <file>` (no ts-node, no inherited flags) and waits until `firstPath` (its first
 * value) is served.
 */
export async function launchBenchApp(
  file: string,
  env: Record<string, string>,
  execArgv: string[] = [],
  firstPath = '/value',
): Promise<LaunchedApp> {
  const started = performance.now();
  const child = fork(file, [], {
    env: { PATH: process.env.PATH ?? '', ...env },
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  atExit(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  try {
    const { port, loadedMs, listeningMs } = await nextMessage(child, 'listening', 30_000);
    const body = await httpGet(port, firstPath);
    const firstValueMs = performance.now() - started;
    return { child, port, firstValueMs, loadedMs, listeningMs, body };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/** The app's memory after a full GC (start it with `--expose-gc`). */
export async function appMemory(app: LaunchedApp) {
  const reply = nextMessage(app.child, 'memory', 10_000);
  app.child.send({ type: 'memory' });
  return reply;
}

/** Asks the app to close (its shutdown hooks run), killing it if it does not within 10 s. */
export async function stopBenchApp(app: LaunchedApp): Promise<void> {
  const timer = setTimeout(() => app.child.kill('SIGKILL'), 10_000);
  if (app.child.connected) app.child.send({ type: 'close' });
  await exited(app.child);
  clearTimeout(timer);
}
