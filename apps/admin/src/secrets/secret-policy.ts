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
  masked<T extends { name?: string; group?: string; config: ConfigDict }>(
    item: T,
    reveal = false,
  ): T & { secretDigests?: Record<string, string> } {
    if (reveal) return item;
    const masked = { ...item, config: maskConfig(item.config, this.isSecret) };
    // Bound to the group (a group's `name`, a rollout view's `group`): the same secret in two
    // groups never shows the same digest.
    const group = item.name ?? item.group ?? '';
    const digests = secretDigests(item.config, this.isSecret, this.digestKey, group);
    return Object.keys(digests).length ? { ...masked, secretDigests: digests } : masked;
  }

  maskedEntries(entries: ExportEntry[], reveal = false): ExportEntry[] {
    if (reveal) return entries;
    return entries.map((entry) => ({
      ...entry,
      config_dict: entry.config_dict && maskConfig(entry.config_dict, this.isSecret),
    }));
  }

  /** `incoming` with each unchanged mask replaced by the stored secret (400 when none matches). */
  restored(incoming: ConfigDict, stored: ConfigDict | null, field?: string): ConfigDict {
    return unmaskConfig(incoming, stored, this.isSecret, field);
  }

  /** True when `config` gives a secret key a value in clear (not a mask sent back). */
  givesSecrets(config: ConfigDict): boolean {
    return Object.entries(config).some(
      ([key, value]) =>
        this.isSecret(key) && !(typeof value === 'string' && value.startsWith(MASK)),
    );
  }

  /** True when `config` holds a value that looks masked under a secret key (worth a read). */
  holdsMasks(config: ConfigDict): boolean {
    return Object.entries(config).some(
      ([key, value]) => this.isSecret(key) && typeof value === 'string' && value.startsWith(MASK),
    );
  }
}
