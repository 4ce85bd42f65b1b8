import { Injectable, Logger } from '@nestjs/common';
import { ConfigChangeEvent, OnConfigChange } from '@rcc/redis-config';

/**
 * Logs every change of the node's group. Only names and versions: the values are API keys and
 * must never reach a log.
 */
@Injectable()
export class ConfigChangeLogger {
  private readonly logger = new Logger('ConfigChange');

  @OnConfigChange()
  log({ reason, previous, current, changedKeys }: ConfigChangeEvent): void {
    const from = previous ? `${previous.name}@v${previous.version}` : 'none';
    const to = current ? `${current.name}@v${current.version}` : 'none';
    const keys = changedKeys.length ? changedKeys.join(', ') : '(none)';
    this.logger.log(`${reason}: group ${from} -> ${to}; changed keys: ${keys}`);
  }
}
