import { Injectable, Logger } from '@nestjs/common';
import {
  ConfigChangeEvent,
  ConfigGroupService,
  ConfigValue,
  OnConfigChange,
} from '@rcc/redis-config';

/** The rate limit used while the group does not set `qps_limit`. */
export const DEFAULT_QPS_LIMIT = 10;

/** The stand-in for a key the provider refuses (DESIGN §10): such a key is reported as a problem. */
export const REVOKED_KEY_PREFIX = 'revoked-';

/**
 * What a user's service does with a config center: read an API key (and its limit) from the node's
 * live group. The properties are never cached by the caller, so each read sees the current value.
 * When a new key arrives it is "tried" against the provider; a refused one is reported with
 * `reportProblem`, which rolls a rollout of it back (DESIGN §13).
 */
@Injectable()
export class ApiKeyClient {
  private readonly logger = new Logger('ApiKeyClient');
  @ConfigValue('apikey') apikey?: string;
  @ConfigValue('qps_limit', { default: DEFAULT_QPS_LIMIT }) qpsLimit!: number;

  constructor(private readonly config: ConfigGroupService) {}

  @OnConfigChange('apikey')
  async keyChanged({ reason }: ConfigChangeEvent): Promise<void> {
    const key = this.apikey;
    if (typeof key !== 'string' || !key.startsWith(REVOKED_KEY_PREFIX)) return;
    // Never the key itself in a message: it is stored with the rollout and logged.
    this.logger.warn(`The provider refuses the new apikey (${reason}): reporting a problem`);
    await this.config.reportProblem('the provider refused the apikey (revoked)');
  }
}
