import { Injectable } from '@nestjs/common';
import type { ImportResult } from '@rcc/redis-config';
import { AdminMetrics } from '../metrics/admin-metrics';
import type { ConfigWrite } from './config-write';

/**
 * Where the admin's write paths say that a write succeeded: it is counted, and announced to the
 * webhooks. Never throws: the write itself is done and acknowledged whatever happens here.
 */
@Injectable()
export class ConfigWrites {
  constructor(private readonly metrics: AdminMetrics) {}

  async record(write: ConfigWrite): Promise<void> {
    this.metrics.countWrite(write.kind);
  }

  /** An applied import: one announcement for the file, naming what it created or changed. */
  recordImport(result: ImportResult, author: string): Promise<void> {
    const groups = [...result.created, ...result.updated];
    return this.record({ kind: 'imported', group: null, version: null, author, groups });
  }
}
