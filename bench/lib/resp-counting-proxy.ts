import { AddressInfo, createServer, Server, Socket } from 'node:net';

/** Traffic through the proxy since it started (or since `reset`). */
export interface TrafficCount {
  /** Client → Redis bytes (requests). */
  bytesIn: number;
  /** Redis → client bytes (replies, pushed messages). */
  bytesOut: number;
  /** Commands sent by clients, by lower-case name. */
  commands: Map<string, number>;
}

/**
 * A TCP proxy in front of one Redis that counts, for everything passing through it, the bytes each
 * way and the commands clients send (it reads the RESP request stream). Redis 7.0 has no per-client
 * byte counters, so this is how a bench sees what exactly its nodes cost, and nothing else.
 */
export class RespCountingProxy {
  private count: TrafficCount = { bytesIn: 0, bytesOut: 0, commands: new Map() };
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(redisPort: number): Promise<RespCountingProxy> {
    let proxy: RespCountingProxy | null = null;
    const server = createServer((client) => proxy?.connect(client, redisPort));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    proxy = new RespCountingProxy(server, (server.address() as AddressInfo).port);
    return proxy;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** The counts so far, and a fresh start. */
  reset(): TrafficCount {
    const count = this.count;
    this.count = { bytesIn: 0, bytesOut: 0, commands: new Map() };
    return count;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private connect(client: Socket, redisPort: number): void {
    const upstream = new Socket();
    const parser = new RespRequestCounter((name) => {
      this.count.commands.set(name, (this.count.commands.get(name) ?? 0) + 1);
    });
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (data: Buffer) => {
      this.count.bytesIn += data.length;
      parser.feed(data);
      upstream.write(data);
    });
    upstream.on('data', (data: Buffer) => {
      this.count.bytesOut += data.length;
      client.write(data);
    });
    upstream.connect(redisPort, '127.0.0.1');
  }
}

/** Reads a client's RESP request stream (arrays of bulk strings, or inline) and names each command. */
class RespRequestCounter {
  private buffer = Buffer.alloc(0);

  constructor(private readonly onCommand: (name: string) => void) {}

  feed(data: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, data]) : data;
    for (;;) {
      const consumed = this.next();
      if (consumed === 0) return;
      this.buffer = this.buffer.subarray(consumed);
    }
  }

  /** Bytes of one complete command at the start of the buffer (0: incomplete). */
  private next(): number {
    const buffer = this.buffer;
    const lineEnd = (from: number) => buffer.indexOf('\r\n', from);
    if (buffer.length === 0) return 0;
    let end = lineEnd(0);
    if (end < 0) return 0;
    if (buffer[0] !== 0x2a /* '*' */) {
      this.onCommand(buffer.toString('utf8', 0, end).trim().split(/\s+/)[0].toLowerCase());
      return end + 2;
    }
    const count = Number(buffer.toString('latin1', 1, end));
    let offset = end + 2;
    let name = '';
    for (let i = 0; i < count; i++) {
      end = lineEnd(offset);
      if (end < 0) return 0;
      const length = Number(buffer.toString('latin1', offset + 1, end));
      const start = end + 2;
      if (buffer.length < start + length + 2) return 0;
      if (i === 0) name = buffer.toString('utf8', start, start + length).toLowerCase();
      offset = start + length + 2;
    }
    this.onCommand(name);
    return offset;
  }
}
