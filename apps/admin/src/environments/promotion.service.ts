import { BadRequestException, ForbiddenException, Injectable } from '@nestjs/common';
import type { ConfigDict } from '@rcc/redis-config';
import {
  ConfigGroupNotFoundError,
  ConfigVersionConflictError,
  type ConfigGroupRecord,
} from '@rcc/redis-config/publisher';
import type { TokenHolder } from '../auth/admin-token-registry';
import { SecretPolicy } from '../secrets/secret-policy';
import { AdminEnvironments, type EnvironmentContext } from './admin-environments';
import { compareConfigs, promotedConfig } from './compare-configs';
import type { ComparisonView, PromotionView } from './dto/comparison.view';

/** A promotion decided: what `to` will hold, from which versions. */
export interface PromotionPlan {
  from: EnvironmentContext;
  to: EnvironmentContext;
  source: ConfigGroupRecord;
  target: ConfigGroupRecord | null;
  /** The config `to` gets. */
  config: ConfigDict;
  view: PromotionView;
}

/**
 * Compare and promote a group between two environments (DESIGN §19). Secret keys (those of
 * `RCC_SECRET_KEYS`, and those stored encrypted on either side) are compared but never shown, and
 * never copied unless an admin lists them.
 */
@Injectable()
export class PromotionService {
  constructor(
    private readonly environments: AdminEnvironments,
    private readonly secrets: SecretPolicy,
  ) {}

  async compare(name: string, fromName: string, toName: string): Promise<ComparisonView> {
    const { from, to, source, target } = await this.read(name, fromName, toName, false);
    const isSecret = this.secretTest(source, target);
    return {
      from: { env: from.name, version: source?.version ?? null },
      to: { env: to.name, version: target?.version ?? null },
      keys: compareConfigs(source?.config ?? null, target?.config ?? null).map(
        ({ key, status }) => {
          if (isSecret(key)) return { key, status, secret: true };
          const shown: { from?: unknown; to?: unknown } = {};
          if (source && Object.hasOwn(source.config, key)) shown.from = source.config[key];
          if (target && Object.hasOwn(target.config, key)) shown.to = target.config[key];
          return { key, status, secret: false, ...shown };
        },
      ),
    };
  }

  /** What a promotion would write; 404 / 409 / 400 / 403 before anything is written. */
  async plan(
    name: string,
    request: { from: string; to: string; keys?: string[]; expectedVersion?: number },
    holder: TokenHolder,
  ): Promise<PromotionPlan> {
    const read = await this.read(name, request.from, request.to, true);
    const { from, to, target } = read;
    const source = read.source as ConfigGroupRecord;
    if (request.expectedVersion !== undefined && request.expectedVersion !== target?.version) {
      throw new ConfigVersionConflictError(name, request.expectedVersion, target?.version ?? null);
    }
    const isSecret = this.secretTest(source, target);
    const differing = compareConfigs(source.config, target?.config ?? null).filter(
      (key) => key.status !== 'same',
    );
    let keys: string[];
    if (request.keys) {
      const known = new Set([...Object.keys(source.config), ...Object.keys(target?.config ?? {})]);
      const unknown = request.keys.filter((key) => !known.has(key));
      if (unknown.length) {
        throw new BadRequestException({
          message: `Not a key of "${name}" in ${from.name} or ${to.name}: ${unknown.join(', ')}`,
          problems: unknown.map((key) => ({ field: `keys.${key}`, message: 'is not a key' })),
        });
      }
      const secret = request.keys.filter(isSecret);
      if (secret.length && holder.role !== 'admin') {
        throw new ForbiddenException(
          `Promoting a secret key (${secret.join(', ')}) needs the "admin" role; the token ` +
            `"${holder.label}" has "${holder.role}"`,
        );
      }
      keys = [...new Set(request.keys)];
    } else {
      keys = differing.filter(({ key }) => !isSecret(key)).map(({ key }) => key);
    }
    const keptSecretKeys = differing
      .filter(({ key }) => isSecret(key) && !keys.includes(key))
      .map(({ key }) => key);
    return {
      from,
      to,
      source,
      target,
      config: promotedConfig(source.config, target?.config ?? null, keys),
      view: {
        from: { env: from.name, version: source.version },
        to: { env: to.name, version: target?.version ?? null },
        keys,
        keptSecretKeys,
      },
    };
  }

  private async read(name: string, fromName: string, toName: string, sourceNeeded: boolean) {
    const from = this.environments.named(fromName);
    const to = this.environments.named(toName);
    if (from === to) {
      throw new BadRequestException({
        message: '`from` and `to` must be two different environments',
        problems: [{ field: 'to', message: 'must differ from `from`' }],
      });
    }
    const [source, target] = await Promise.all([from.store.get(name), to.store.get(name)]);
    if ((!source && sourceNeeded) || (!source && !target)) throw new ConfigGroupNotFoundError(name);
    return { from, to, source, target };
  }

  private secretTest(
    source: ConfigGroupRecord | null,
    target: ConfigGroupRecord | null,
  ): (key: string) => boolean {
    const sealed = [...(source?.sealedKeys ?? []), ...(target?.sealedKeys ?? [])];
    return (key) => this.secrets.isSecretKey(key, sealed);
  }
}
