import { createHmac } from 'node:crypto';

/** Headers of a delivery: what the receiver checks (docs/OPERATIONS.md shows how). */
export const WEBHOOK_HEADERS = {
  event: 'X-RCC-Event',
  delivery: 'X-RCC-Delivery',
  timestamp: 'X-RCC-Timestamp',
  signature: 'X-RCC-Signature',
} as const;

/**
 * `sha256=<hex>`: HMAC-SHA256, keyed with RCC_WEBHOOK_SECRET, of `<timestamp>.<body>`. The
 * timestamp (Unix seconds, sent in its own header) is signed with the body, so a receiver that
 * refuses old timestamps refuses a replayed delivery.
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}
