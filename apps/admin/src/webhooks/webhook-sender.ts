import { Inject, Injectable } from '@nestjs/common';
import type { WebhookJob } from './webhook-queue';
import { WEBHOOK_HEADERS, webhookSignature } from './webhook-signature';
import { WEBHOOK_SETTINGS, WebhookSettings } from './webhook.settings';

/** What one POST came to. */
export interface SendResult {
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
}

/** POSTs one delivery, signed with a fresh timestamp (so each retry is signed anew). */
@Injectable()
export class WebhookSender {
  constructor(@Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings) {}

  async send(job: WebhookJob, attempt: number): Promise<SendResult> {
    const timestamp = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'rcc-admin-webhooks',
      [WEBHOOK_HEADERS.event]: job.type,
      [WEBHOOK_HEADERS.delivery]: job.id,
      [WEBHOOK_HEADERS.timestamp]: String(timestamp),
      'X-RCC-Attempt': String(attempt),
    };
    if (this.settings.secret) {
      headers[WEBHOOK_HEADERS.signature] = webhookSignature(
        this.settings.secret,
        timestamp,
        job.body,
      );
    }
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const response = await fetch(job.url, {
        method: 'POST',
        headers,
        body: job.body,
        redirect: 'manual', // a redirect is not a delivery (and must not carry the body elsewhere)
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      await response.body?.cancel().catch(() => undefined); // the answer's body is not read
      const ok = response.status >= 200 && response.status < 300;
      return {
        ok,
        status: response.status,
        error: ok ? null : `HTTP ${response.status}`,
        durationMs: elapsed(),
      };
    } catch (error) {
      return { ok: false, status: null, error: failureText(error), durationMs: elapsed() };
    }
  }
}

/** A short reason, without the URL (undici's messages do not include it; its causes might). */
function failureText(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  return error instanceof Error ? error.name : 'failed';
}
