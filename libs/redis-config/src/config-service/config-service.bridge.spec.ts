import { Logger } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { Subject } from 'rxjs';
import { ConfigChangeEvent, frozenGroup, type ConfigGroup } from '../node/config-change';
import type { ConfigGroupService } from '../node/config-group.service';
import type { ResolvedRedisConfigOptions } from '../options/redis-config.options';
import { ConfigServiceBridge } from './config-service.bridge';
import { CONFIGURATION_TOKEN } from './config-service.surface';

type ConfigChange = { path: string; oldValue: unknown; newValue: unknown };

/** The bridge over a real `ConfigService` and a node whose group the test sets (no Redis). */
function setUp(namespace: string | null = 'rcc') {
  const host: Record<string, unknown> = {};
  const configService = new ConfigService(host);
  const changes = new Subject<ConfigChangeEvent>();
  let current: ConfigGroup | null = frozenGroup('team', 0, { apikey: 'k1', region: 'eu' });
  const groups = {
    getConfigGroup: () => current,
    getEffectiveConfig: () => current?.config ?? {},
    changes$: changes.asObservable(),
  };
  const moduleRef = {
    get: (token: unknown) => (token === CONFIGURATION_TOKEN ? host : configService),
  };
  const bridge = new ConfigServiceBridge(
    groups as unknown as ConfigGroupService,
    moduleRef as unknown as ModuleRef,
    { configServiceNamespace: namespace } as ResolvedRedisConfigOptions,
  );
  const seen: ConfigChange[] = [];
  (configService.changes$ as Subject<ConfigChange>).subscribe((change) => seen.push(change));
  /** What the node does on a change: its group first, then the event. */
  const change = (next: ConfigGroup | null, changedKeys: string[]) => {
    const previous = current;
    current = next;
    changes.next({
      previous,
      current,
      reason: next ? 'updated' : 'unassigned',
      changedKeys,
      source: next ? { name: next.name, version: next.version, shared: false } : null,
    });
  };
  return { bridge, configService, host, change, seen };
}

describe('ConfigServiceBridge', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  it('does nothing without a namespace', () => {
    const { bridge, host } = setUp(null);
    bridge.onModuleInit();
    expect(host).toEqual({});
  });

  it('reads the current group under the namespace, frozen, without prototype keys', () => {
    const { bridge, configService } = setUp();
    bridge.onModuleInit();
    expect(configService.get('rcc.apikey')).toBe('k1');
    const view = configService.get<Record<string, unknown>>('rcc')!;
    expect(Object.isFrozen(view)).toBe(true);
    expect(configService.get('rcc.toString')).toBeUndefined();
    expect(configService.get('rcc')).toBe(view); // one copy per group, not one per read
  });

  it('follows every change, emits each changed key, and reads a removed key as undefined', () => {
    const { bridge, configService, change, seen } = setUp();
    bridge.onModuleInit();
    change(frozenGroup('team', 1, { apikey: 'k2' }), ['apikey', 'region']);
    expect(configService.get('rcc.apikey')).toBe('k2');
    expect(configService.get('rcc.region')).toBeUndefined();
    change(null, ['apikey']);
    expect(configService.get('rcc.apikey')).toBeUndefined();
    expect(seen).toEqual([
      { path: 'rcc.apikey', oldValue: 'k1', newValue: 'k2' },
      { path: 'rcc.region', oldValue: 'eu', newValue: undefined },
      { path: 'rcc.apikey', oldValue: 'k2', newValue: undefined },
    ]);
  });

  it('writes nothing to process.env, and leaves ConfigService as it found it on close', () => {
    const { bridge, configService, change } = setUp();
    const before = { ...process.env };
    bridge.onModuleInit();
    change(frozenGroup('team', 1, { apikey: 'k2' }), ['apikey']);
    expect(process.env).toEqual(before);
    bridge.onModuleDestroy();
    change(frozenGroup('team', 2, { apikey: 'k3' }), ['apikey']);
    expect(configService.get('rcc')).toBeUndefined();
  });
});
