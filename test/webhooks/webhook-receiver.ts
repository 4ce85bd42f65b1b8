import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  body: string;
  /** The status this receiver answered. */
  answered: number;
}

/**
 * A webhook receiver on 127.0.0.1, as a user would write one: it keeps every POST and answers
 * what `respond` says (200 unless told otherwise).
 */
export class WebhookReceiver {
  readonly received: ReceivedHook[] = [];
  respond: (hook: Omit<ReceivedHook, 'answered'>) => number = () => 200;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const hook = { headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
        const answered = receiver.respond(hook);
        receiver.received.push({ ...hook, answered });
        response.writeHead(answered).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/rcc`;
  }

  /** The hooks answered 2xx, in arrival order. */
  get delivered(): ReceivedHook[] {
    return this.received.filter((hook) => hook.answered >= 200 && hook.answered < 300);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Verifies a delivery as docs/OPERATIONS.md tells receivers to: HMAC-SHA256 of
 * `<X-RCC-Timestamp>.<raw body>`, compared in constant time, and a timestamp at most 5 minutes off.
 */
export function verifySignature(hook: ReceivedHook, secret: string, nowMs = Date.now()): boolean {
  const timestamp = hook.headers['x-rcc-timestamp'];
  const signature = hook.headers['x-rcc-signature'];
  if (typeof timestamp !== 'string' || typeof signature !== 'string') return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', secret).update(`${timestamp}.${hook.body}`).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
