import { Test, type TestingModule } from '@nestjs/testing';
import { ErrorCode, ProviderEvents, type EventDetails } from '@openfeature/server-sdk';
import { ConfigGroupService } from '../node/config-group.service';
import { RedisConfigTestingModule, TestConfigGroup } from '../testing';
import { RedisConfigOpenFeatureModule } from './redis-config-openfeature.module';
import { RedisConfigProvider } from './redis-config.provider';

/** A value found in `group` at `version`, the node reaching Redis. */
function found(value: unknown, group: string, version: number, source: 'own' | 'shared') {
  return {
    value,
    reason: 'STATIC',
    variant: `${group}@${version}`,
    flagMetadata: { group, version, source },
  };
}

describe('RedisConfigProvider on a test node (no Redis)', () => {
  let ref: TestingModule;
  let provider: RedisConfigProvider;

  beforeEach(async () => {
    provider = new RedisConfigProvider();
    ref = await Test.createTestingModule({
      imports: [
        RedisConfigTestingModule.forRoot({
          group: 'g',
          version: 3,
          config: { flag: true, name: 'n', limits: { qps: 5 }, list: [1], nothing: null },
          shared: { common: { region: 'eu', name: 'shadowed' } },
        }),
        RedisConfigOpenFeatureModule.forRoot(provider),
      ],
    }).compile();
  });

  afterEach(async () => {
    await provider.onClose();
    await ref.close();
  });

  it('answers PROVIDER_NOT_READY until the app binds it, then is ready', async () => {
    expect(await provider.resolveStringEvaluation('name', 'd')).toMatchObject({
      value: 'd',
      errorCode: ErrorCode.PROVIDER_NOT_READY,
    });
    const initialized = provider.initialize();
    await ref.init();
    await initialized;
    expect(await provider.resolveStringEvaluation('name', 'd')).toEqual(found('n', 'g', 3, 'own'));
  });

  it('resolves every type, a dotted key and a shared group', async () => {
    await ref.init();
    await provider.initialize();
    expect((await provider.resolveBooleanEvaluation('flag', false)).value).toBe(true);
    expect((await provider.resolveNumberEvaluation('limits.qps', 0)).value).toBe(5);
    expect((await provider.resolveObjectEvaluation('limits', {})).value).toEqual({ qps: 5 });
    expect((await provider.resolveObjectEvaluation('list', [])).value).toEqual([1]);
    expect(await provider.resolveStringEvaluation('region', 'x')).toEqual(
      found('eu', 'common', 0, 'shared'),
    );
  });

  it('gives the default with FLAG_NOT_FOUND and TYPE_MISMATCH', async () => {
    await ref.init();
    await provider.initialize();
    expect(await provider.resolveStringEvaluation('missing', 'd')).toMatchObject({
      value: 'd',
      reason: 'ERROR',
      errorCode: ErrorCode.FLAG_NOT_FOUND,
    });
    expect(await provider.resolveBooleanEvaluation('name', false)).toMatchObject({
      value: false,
      reason: 'ERROR',
      errorCode: ErrorCode.TYPE_MISMATCH,
      errorMessage: '"name" is string, not boolean',
      variant: 'g@3',
    });
    expect(await provider.resolveObjectEvaluation('nothing', {})).toMatchObject({
      value: {},
      errorCode: ErrorCode.TYPE_MISMATCH,
    });
  });

  it('emits CONFIGURATION_CHANGED with the changed keys, and nothing for a refused version', async () => {
    await ref.init();
    await provider.initialize();
    const events: EventDetails[] = [];
    provider.events.addHandler(ProviderEvents.ConfigurationChanged, (details) => {
      events.push(details!);
    });
    await ref.get(TestConfigGroup).publish({ flag: false, name: 'n', limits: { qps: 5 } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      flagsChanged: expect.arrayContaining(['flag', 'list', 'nothing']),
      metadata: { reason: 'updated', group: 'g', version: 4 },
    });
    expect(await provider.resolveBooleanEvaluation('flag', true)).toMatchObject({
      value: false,
      variant: 'g@4',
    });
  });

  it('refuses a second node', async () => {
    await ref.init();
    expect(() => provider.bind({} as ConfigGroupService)).toThrow(/already bound/);
    expect(() => provider.bind(ref.get(ConfigGroupService))).not.toThrow();
  });
});
