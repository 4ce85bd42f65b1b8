import type { INestApplication } from '@nestjs/common';
import { performance } from 'node:perf_hooks';

/** What a bench app tells its parent over IPC. */
export type BenchAppMessage =
  /** `loadedMs`: every module loaded; `listeningMs`: app up; both from process start. */
  | { type: 'listening'; port: number; loadedMs: number; listeningMs: number }
  | { type: 'memory'; rss: number; heapUsed: number; external: number };

/**
 * Starts a bench app on 127.0.0.1 (a free port), tells the parent its port, answers `memory`
 * requests (after a full GC when `--expose-gc` is on) and closes on `close` or when the parent goes.
 */
export async function serveBenchApp(create: () => Promise<INestApplication>): Promise<void> {
  // Called once the app's module graph is loaded (imports run first).
  const loadedMs = performance.now();
  const app = await create();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const send = (message: BenchAppMessage) => process.send?.(message);
  send({ type: 'listening', port: address.port, loadedMs, listeningMs: performance.now() });
  const close = () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'memory') {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      const { rss, heapUsed, external } = process.memoryUsage();
      send({ type: 'memory', rss, heapUsed, external });
    } else if (message.type === 'close') close();
  });
  process.on('disconnect', close);
}
