/**
 * The webhook queue's keys, under the namespace's hash tag (one slot: one script touches all):
 * - `{ns}:webhooks:queue`     sorted set: delivery id → when it is due (ms, Redis time); a claim
 *                             moves it a lease ahead, so a crashed admin's claim comes due again;
 * - `{ns}:webhooks:jobs`      hash: delivery id → JSON `{ id, eventId, type, url, body }`;
 * - `{ns}:webhooks:attempts`  hash: delivery id → attempts claimed so far (the claim's token);
 * - `{ns}:webhooks:deliveries` list: the latest attempts, newest first, bounded.
 */
export class WebhookKeys {
  readonly queue: string;
  readonly jobs: string;
  readonly attempts: string;
  readonly deliveries: string;

  constructor(namespace: string) {
    const prefix = `{${namespace}}:webhooks`;
    this.queue = `${prefix}:queue`;
    this.jobs = `${prefix}:jobs`;
    this.attempts = `${prefix}:attempts`;
    this.deliveries = `${prefix}:deliveries`;
  }
}
