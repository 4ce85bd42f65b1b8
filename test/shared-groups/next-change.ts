import { filter, firstValueFrom, timeout } from 'rxjs';
import type { ConfigChangeEvent, ConfigGroupService } from '@rcc/redis-config';

/**
 * The next change event of `config` that `matches`, within `withinMs`: subscribe before the
 * write that should cause it, await after.
 */
export function nextChange(
  config: ConfigGroupService,
  matches: (event: ConfigChangeEvent) => boolean,
  withinMs = 5000,
): Promise<ConfigChangeEvent> {
  return firstValueFrom(config.changes$.pipe(filter(matches), timeout(withinMs)));
}
