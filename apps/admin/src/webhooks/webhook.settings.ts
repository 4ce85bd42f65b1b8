import { integerVariable, listVariable } from '@rcc/redis-config/publisher';

type Env = NodeJS.ProcessEnv;

/** Settings of the admin's webhooks (read here, beside the feature, not in admin-settings). */
export interface WebhookSettings {
  /** `RCC_WEBHOOKS`: where each event is POSTed (http/https URLs); empty = no webhooks. */
  urls: string[];
  /** `RCC_WEBHOOK_SECRET`: HMAC-SHA256 key of the signature; null = deliveries are unsigned. */
  secret: string | null;
  /** `RCC_WEBHOOK_MAX_ATTEMPTS` (8): attempts per delivery before it is given up (`failed`). */
  maxAttempts: number;
  /** `RCC_WEBHOOK_RETRY_MS` (1000): the first retry's delay; each next one doubles (≤ 10 min). */
  retryBaseMs: number;
  /** `RCC_WEBHOOK_TIMEOUT_MS` (5000): how long one POST may take. */
  timeoutMs: number;
  /** `RCC_WEBHOOK_LOG_LIMIT` (200): delivery attempts kept for `GET /api/webhooks/deliveries`. */
  logLimit: number;
}

export const WEBHOOK_SETTINGS = Symbol('WEBHOOK_SETTINGS');

/** Reads and checks the webhook variables; throws naming the variable, never a secret or a URL. */
export function resolveWebhookSettings(env: Env = process.env): WebhookSettings {
  const urls = listVariable(env.RCC_WEBHOOKS);
  urls.forEach((url, index) => {
    // A webhook URL often holds a token in its path: the message gives its position, not the URL.
    if (!isHttpUrl(url)) {
      throw new Error(`RCC_WEBHOOKS: entry ${index + 1} is not an http:// or https:// URL`);
    }
  });
  const secret = env.RCC_WEBHOOK_SECRET || null;
  if (secret !== null && secret.length < 16) {
    throw new Error('RCC_WEBHOOK_SECRET must be at least 16 characters');
  }
  return {
    urls,
    secret,
    maxAttempts: integerVariable(
      'RCC_WEBHOOK_MAX_ATTEMPTS',
      env.RCC_WEBHOOK_MAX_ATTEMPTS,
      8,
      1,
      30,
    ),
    retryBaseMs: integerVariable(
      'RCC_WEBHOOK_RETRY_MS',
      env.RCC_WEBHOOK_RETRY_MS,
      1000,
      10,
      3_600_000,
    ),
    timeoutMs: integerVariable(
      'RCC_WEBHOOK_TIMEOUT_MS',
      env.RCC_WEBHOOK_TIMEOUT_MS,
      5000,
      100,
      120_000,
    ),
    logLimit: integerVariable('RCC_WEBHOOK_LOG_LIMIT', env.RCC_WEBHOOK_LOG_LIMIT, 200, 1, 10_000),
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
