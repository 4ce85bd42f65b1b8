import { ForbiddenException, Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { ConfigDict } from '@rcc/redis-config';
import type { ExportEntry } from '@rcc/redis-config/publisher';
import type { TokenHolder } from '../auth/admin-token-registry';
import { ADMIN_SETTINGS, AdminSettings } from '../settings/admin-settings';
import { secretDigests } from './secret-digest';
import { secretKeyMatcher } from './secret-keys';
import { MASK, maskConfig, unmaskConfig } from './secret-masking';

/**
 * Secrets in REST answers (DESIGN §14): values of the keys `RCC_SECRET_KEYS` names are masked for
 * everyone but an admin who asks with `?reveal=true`; a config sent back with its masks unchanged
 * keeps the stored secrets. The message patterns are not masked: they carry no token.
 */
@Injectable()
export class SecretPolicy {
  private readonly logger = new Logger('Secrets');
  private readonly isSecret: (key: string) => boolean;
  /** Keys the digests of masked views; drawn per process, never stored nor sent. */
  private readonly digestKey = randomBytes(32);

  constructor(@Inject(ADMIN_SETTINGS) settings: AdminSettings) {
    this.isSecret = secretKeyMatcher(settings.secretKeys);
  }

  /** Whether `holder` sees secrets in clear; asking without the admin role is a 403. */
  reveals(asked: boolean | undefined, holder: TokenHolder, what: string): boolean {
    if (!asked) return false;
    if (holder.role !== 'admin') {
      throw new ForbiddenException(
        `?reveal=true needs the "admin" role; the token "${holder.label}" has "${holder.role}"`,
      );
    }
    // Who saw which secrets: the event, never the values.
    this.logger.log({ message: 'Secrets revealed', actor: holder.label, what });
    return true;
  }

  /**
   * `item` with its `config` masked, unless revealed; with `secretDigests` (one per secret key,
   * when it has any) so that a diff of two masked versions still sees which secrets changed.
   */
  masked<T extends { name?: string; group?: string; config: ConfigDict; sealedKeys?: string[] }>(
    item: T,
    reveal = false,
  ): T & { secretDigests?: Record<string, string> } {
    if (reveal) return item;
    const isSecret = this.secretIn(item.sealedKeys);
    const masked = { ...item, config: maskConfig(item.config, isSecret) };
    // Bound to the group (a group's `name`, a rollout view's `group`): the same secret in two
    // groups never shows the same digest.
    const group = item.name ?? item.group ?? '';
    const digests = secretDigests(item.config, isSecret, this.digestKey, group);
    return Object.keys(digests).length ? { ...masked, secretDigests: digests } : masked;
  }

  /**
   * Export entries as the old format has them (`sealed_keys`, if the store gave them, is used to
   * mask and then left out), masked unless revealed.
   */
  maskedEntries(entries: ExportEntry[], reveal = false): ExportEntry[] {
    return entries.map(({ sealed_keys: sealed, ...entry }) => ({
      ...entry,
      config_dict:
        entry.config_dict && !reveal
          ? maskConfig(entry.config_dict, this.secretIn(sealed))
          : entry.config_dict,
    }));
  }

  /**
   * `incoming` with each unchanged mask replaced by the stored secret (400 when none matches).
   * A key stored encrypted is a secret whatever its name (`stored.sealedKeys`).
   */
  restored(
    incoming: ConfigDict,
    stored: { config: ConfigDict; sealedKeys?: string[] } | null,
    field?: string,
  ): ConfigDict {
    return unmaskConfig(incoming, stored?.config ?? null, this.secretIn(stored?.sealedKeys), field);
  }

  /** Whether `key` holds a secret in a group stored with `sealedKeys` (encrypted keys). */
  isSecretKey(key: string, sealedKeys?: readonly string[]): boolean {
    return this.secretIn(sealedKeys)(key);
  }

  /** The secret keys of a group: those `RCC_SECRET_KEYS` names, and those stored encrypted. */
  private secretIn(sealedKeys: readonly string[] = []): (key: string) => boolean {
    return sealedKeys.length
      ? (key) => this.isSecret(key) || sealedKeys.includes(key)
      : this.isSecret;
  }

  /** True when `config` gives a secret key a value in clear (not a mask sent back). */
  givesSecrets(config: ConfigDict): boolean {
    return Object.entries(config).some(
      ([key, value]) =>
        this.isSecret(key) && !(typeof value === 'string' && value.startsWith(MASK)),
    );
  }

  /**
   * True when `config` holds a value that looks masked (worth a read of the stored group), under
   * any key: a key stored encrypted is masked whatever its name.
   */
  holdsMasks(config: ConfigDict): boolean {
    return Object.values(config).some(
      (value) => typeof value === 'string' && value.startsWith(MASK),
    );
  }
}
