import { Injectable } from '@nestjs/common';
import { ConfigValue } from '@rcc/redis-config';

/** The rate limit used while the group does not set `qps_limit`. */
export const DEFAULT_QPS_LIMIT = 10;

/**
 * What a user's service does with a config center: read an API key (and its limit) from the node's
 * live group. The properties are never cached by the caller, so each read sees the current value.
 */
@Injectable()
export class ApiKeyClient {
  @ConfigValue('apikey') apikey?: string;
  @ConfigValue('qps_limit', { default: DEFAULT_QPS_LIMIT }) qpsLimit!: number;
}
