import { createHmac } from 'node:crypto';
import type { ConfigDict } from '@rcc/redis-config';

/**
 * A masked view shows "••••" for a secret of fewer than 12 characters, and the same tail for two
 * long ones that end alike: a diff of two masked versions would see no change. So masked views
 * also carry, per secret key, a short keyed digest of its value: equal digests, same value;
 * different, changed. Keyed (HMAC with a key drawn when the admin starts, never stored or sent)
 * so a short secret cannot be found by hashing guesses; bound to the group and the key, so one
 * API key used in two groups does not show as the same. Comparable within one admin process.
 */
export function secretDigests(
  config: ConfigDict,
  isSecret: (key: string) => boolean,
  hmacKey: Buffer,
  group: string,
): Record<string, string> {
  const digests = Object.entries(config)
    .filter(([key]) => isSecret(key))
    .map(([key, value]): [string, string] => [
      key,
      createHmac('sha256', hmacKey)
        .update(JSON.stringify([group, key, value ?? null]))
        .digest('base64url')
        .slice(0, 12),
    ]);
  // fromEntries defines own properties: a `__proto__` key stays data, never a prototype.
  return Object.fromEntries(digests);
}
