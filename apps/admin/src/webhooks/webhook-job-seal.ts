import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookJob } from './webhook-queue';

/** What a job's seal covers, in order: every field a delivery sends or sends to. */
function sealedText(job: Omit<WebhookJob, 'seal'>): string {
  return JSON.stringify([job.id, job.eventId, job.type, job.target, job.url, job.body]);
}

/**
 * The seal of a queued delivery: HMAC-SHA256 of the job with a key derived from
 * `RCC_WEBHOOK_SECRET`, which is not in Redis. Jobs wait in Redis, where anyone with the
 * publisher's credentials could write one; the admin delivers and signs only the jobs it sealed
 * itself, so such a write cannot make it sign a forged body.
 */
export function sealJob(secret: string, job: Omit<WebhookJob, 'seal'>): string {
  const key = createHmac('sha256', secret).update('rcc-webhook-job-seal-v1').digest();
  return createHmac('sha256', key).update(sealedText(job), 'utf8').digest('hex');
}

/**
 * Whether this admin may deliver `job`: its target is one of `RCC_WEBHOOKS` at the position it
 * names (never a URL taken from Redis alone: no blind requests to addresses of a writer's choice),
 * and, with a secret, its seal is this admin's.
 */
export function isTrustedJob(
  job: WebhookJob,
  urls: readonly string[],
  secret: string | null,
): boolean {
  if (!Number.isInteger(job.target) || urls[job.target - 1] !== job.url) return false;
  if (secret === null) return true; // unsigned deliveries: receivers cannot trust a body anyway
  if (typeof job.seal !== 'string') return false;
  const expected = Buffer.from(sealJob(secret, job), 'hex');
  const given = Buffer.from(job.seal, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
