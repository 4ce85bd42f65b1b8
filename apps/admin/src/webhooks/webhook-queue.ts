import { Injectable } from '@nestjs/common';
import { CLAIM_LUA } from './lua/claim.lua';
import { SETTLE_LUA } from './lua/settle.lua';
import type { WebhookEvent } from './webhook-event';
import { sealJob } from './webhook-job-seal';
import { WebhookKeys } from './webhook-keys';
import { AdminRedis } from '../common/admin-redis';

/** One delivery: an event to one target. */
export interface WebhookJob {
  id: string;
  eventId: string;
  type: WebhookEvent['type'];
  /** The target URL (never logged: it may hold a token). */
  url: string;
  /** Position of the target in RCC_WEBHOOKS (1-based), shown in the delivery log. */
  target: number;
  /** The exact body POSTed, built once: every attempt sends the same bytes. */
  body: string;
  /** `sealJob` of the other fields, when RCC_WEBHOOK_SECRET is set (see `isTrustedJob`). */
  seal?: string;
}

export interface ClaimedJob {
  job: WebhookJob;
  attempt: number;
}

export type SettledOutcome = 'delivered' | 'retrying' | 'failed';

/** An attempt as the delivery log keeps it. */
export interface DeliveryLogEntry {
  at: string;
  delivery: string;
  eventId: string;
  event: string;
  /** Scheme, host and port of the target (its path and query may hold a token). */
  origin: string;
  target: number;
  attempt: number;
  outcome: SettledOutcome;
  /** The HTTP status received; null when none (refused, timed out). */
  status: number | null;
  error: string | null;
  durationMs: number;
}

interface QueueScripts {
  rccWebhookClaim(...keysAndArgs: (string | number)[]): Promise<(string | number)[]>;
  rccWebhookSettle(...keysAndArgs: (string | number)[]): Promise<number>;
}

/**
 * The deliveries waiting in Redis (DESIGN §15): queued with the write's announcement, claimed
 * atomically by one admin replica at a time, kept until delivered or given up, so an admin
 * restart loses none. Keys: `WebhookKeys`.
 */
@Injectable()
export class WebhookQueue {
  readonly keys: WebhookKeys;

  constructor(private readonly connection: AdminRedis) {
    this.keys = new WebhookKeys(connection.namespace);
  }

  get namespace(): string {
    return this.connection.namespace;
  }

  /**
   * Queues one delivery per URL, in one MULTI: all of them or none, each sealed with `secret`
   * when there is one. Returns their jobs.
   */
  async enqueue(
    event: WebhookEvent,
    urls: readonly string[],
    secret: string | null,
  ): Promise<WebhookJob[]> {
    if (urls.length === 0) return [];
    const body = JSON.stringify(event);
    const jobs = urls.map((url, index): WebhookJob => {
      const job = {
        id: `${event.id}-${index + 1}`,
        eventId: event.id,
        type: event.type,
        url,
        target: index + 1,
        body,
      };
      return secret === null ? job : { ...job, seal: sealJob(secret, job) };
    });
    const multi = this.connection.client.multi();
    for (const job of jobs) {
      multi.hset(this.keys.jobs, job.id, JSON.stringify(job));
      multi.zadd(this.keys.queue, 0, job.id); // due at once
    }
    const results = await multi.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('webhook queue transaction aborted');
    return jobs;
  }

  /** Claims up to `max` due deliveries for `leaseMs`. */
  async claim(max: number, leaseMs: number): Promise<ClaimedJob[]> {
    const { queue, jobs, attempts } = this.keys;
    const flat = await this.scripts().rccWebhookClaim(queue, jobs, attempts, max, leaseMs);
    const claimed: ClaimedJob[] = [];
    for (let i = 0; i + 2 < flat.length; i += 3) {
      const job = parseJob(String(flat[i + 1]));
      if (job) claimed.push({ job, attempt: Number(flat[i + 2]) });
    }
    return claimed;
  }

  /** Records an attempt and what follows it; false when the claim had gone stale. */
  async settle(
    claimed: ClaimedJob,
    entry: Omit<DeliveryLogEntry, 'at'>,
    retryDelayMs: number,
    logLimit: number,
  ): Promise<boolean> {
    const { queue, jobs, attempts, deliveries } = this.keys;
    const settled = await this.scripts().rccWebhookSettle(
      queue,
      jobs,
      attempts,
      deliveries,
      claimed.job.id,
      claimed.attempt,
      entry.outcome,
      retryDelayMs,
      JSON.stringify(entry),
      logLimit,
    );
    return settled === 1;
  }

  /** The latest attempts, newest first. */
  async deliveries(limit: number): Promise<DeliveryLogEntry[]> {
    const raw = await this.connection.client.lrange(this.keys.deliveries, 0, limit - 1);
    return raw.flatMap((text) => {
      try {
        const { atMs, ...entry } = JSON.parse(text) as Omit<DeliveryLogEntry, 'at'> & {
          atMs: number;
        };
        return [{ at: new Date(atMs).toISOString(), ...entry }];
      } catch {
        return [];
      }
    });
  }

  /** Deliveries not yet delivered or given up (for tests and operators). */
  pending(): Promise<number> {
    return this.connection.client.zcard(this.keys.queue);
  }

  private scripts(): QueueScripts {
    const client = this.connection.client as typeof this.connection.client & Partial<QueueScripts>;
    if (typeof client.rccWebhookClaim !== 'function') {
      client.defineCommand('rccWebhookClaim', { lua: CLAIM_LUA, numberOfKeys: 3 });
      client.defineCommand('rccWebhookSettle', { lua: SETTLE_LUA, numberOfKeys: 4 });
    }
    return client as QueueScripts;
  }
}

function parseJob(text: string): WebhookJob | null {
  try {
    const job = JSON.parse(text) as WebhookJob;
    return typeof job.id === 'string' && typeof job.url === 'string' && typeof job.body === 'string'
      ? job
      : null;
  } catch {
    return null;
  }
}
