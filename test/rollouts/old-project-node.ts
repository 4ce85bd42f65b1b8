import Redis from 'ioredis';

/**
 * A node of the old (Python) project, as far as rollouts see it: it holds no lease (never asked,
 * never a canary) and polls the groups hash, taking any version other than the one it has.
 * Records every (version → content) it saw, to check that no number ever names two contents.
 */
export class OldProjectNode {
  readonly seen = new Map<number, Set<string>>();
  private readonly client: Redis;
  private running = true;
  private readonly loop: Promise<void>;

  constructor(port: number, namespace: string, group: string) {
    this.client = new Redis(port, '127.0.0.1');
    this.loop = this.poll(namespace, group);
  }

  private async poll(namespace: string, group: string): Promise<void> {
    while (this.running) {
      const raw = await this.client.hget(namespace, group).catch(() => null);
      if (raw) {
        const { group_version: version, config_dict: config } = JSON.parse(raw) as {
          group_version: number;
          config_dict: unknown;
        };
        const contents = this.seen.get(version) ?? new Set<string>();
        contents.add(JSON.stringify(config));
        this.seen.set(version, contents);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Every content it ran, as JSON. */
  contents(): string[] {
    return [...this.seen.values()].flatMap((set) => [...set]);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.client.quit();
  }
}
