import { Controller, Get, Header, NotFoundException, Param } from '@nestjs/common';
import { ConfigGroupService, SharedGroupVersion } from '@rcc/redis-config';
import { ApiKeyClient } from './api-key.client';

/** `GET /config`: what this node holds; `config` is the effective config (DESIGN §12). */
export interface NodeConfigView {
  nodeId: string;
  group: string | null;
  version: number | null;
  config: Readonly<Record<string, unknown>>;
  pinned: boolean;
  /** Its shared groups (RCC_SHARED_GROUPS), lowest precedence first; version null: missing. */
  shared: SharedGroupVersion[];
  /** True while this node runs a rollout's candidate as a canary (DESIGN §13). */
  canary: boolean;
}

/** The routes of DESIGN §10: how a service owner sees what a node holds. */
@Controller()
export class ConfigController {
  constructor(
    private readonly config: ConfigGroupService,
    private readonly client: ApiKeyClient,
  ) {}

  @Get('config')
  current(): NodeConfigView {
    const group = this.config.getConfigGroup();
    return {
      nodeId: this.config.nodeId,
      group: group?.name ?? null,
      version: group?.version ?? null,
      config: this.config.getEffectiveConfig(),
      pinned: this.config.pinned,
      shared: this.config
        .getSources()
        .filter((source) => source.shared)
        .map(({ name, version }) => ({ name, version })),
      canary: this.config.canary,
    };
  }

  /** The value itself, always as JSON (a string value too), so that `null` and `"null"` differ. */
  @Get('config/:key')
  @Header('Content-Type', 'application/json; charset=utf-8')
  value(@Param('key') key: string): string {
    if (!this.config.has(key)) {
      const group = this.config.getConfigGroup();
      const shared = this.config.getSources().filter((source) => source.shared).length;
      const also = shared ? ` nor in its ${shared} shared group(s)` : '';
      throw new NotFoundException(
        group
          ? `Config key "${key}" is not set in config group "${group.name}"${also}`
          : `Config key "${key}" is not available: this node holds no config group${also}`,
      );
    }
    return JSON.stringify(this.config.get(key));
  }

  /** Read through `@ConfigValue` properties: `apikey` (null when unset) and `qps_limit` (default). */
  @Get('apikey')
  apikey(): { apikey: string | null; qps_limit: number } {
    return { apikey: this.client.apikey ?? null, qps_limit: this.client.qpsLimit };
  }
}
