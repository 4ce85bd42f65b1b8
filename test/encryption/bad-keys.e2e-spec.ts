import { randomBytes } from 'node:crypto';
import { resolveOptions } from '@rcc/redis-config/publisher';
import { AppProcess, builtEntry } from '../blackbox/built-app';
import { freePort, RedisServer, uniqueNamespace } from '../helpers/redis-server';

/** Hostile RCC_ENCRYPTION_KEY values: each one stops start-up, naming the variable, never the key. */
describe('bad RCC_ENCRYPTION_KEY values', () => {
  const good = randomBytes(32).toString('base64');
  const cases: [what: string, value: string, message: RegExp][] = [
    [
      '16 bytes',
      randomBytes(16).toString('base64'),
      /the key must be 32 bytes .* decodes to 16 bytes/,
    ],
    ['64 bytes', randomBytes(64).toString('base64'), /must be 32 bytes/],
    ['not base64', `${'*'.repeat(43)}=`, /is not base64/],
    [
      'a second key that is bad',
      `${good},${randomBytes(31).toString('base64')}`,
      /key 2 of 2 must be 32 bytes/,
    ],
    ['an empty entry', `${good},,${good}`, /key 2 of 3 is empty/],
    ['one key twice', `${good},${good}`, /repeats the key id/],
    ['an id with a colon', `a:b=${good}`, /id that is not/],
    // 32 zero bytes are 43 "A" and "=": a last "B" sets bits that no byte holds.
    ['base64 that is not canonical', `${'A'.repeat(42)}B=`, /not canonical/],
  ];

  it.each(cases)('resolveOptions refuses %s', (_what, value, message) => {
    const attempt = () => resolveOptions({}, { RCC_ENCRYPTION_KEY: value });
    expect(attempt).toThrow(/^RCC_ENCRYPTION_KEY: /);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      for (const part of value.split(',')) {
        if (part.length > 8) expect((error as Error).message).not.toContain(part);
      }
    }
  });

  describe('built processes', () => {
    let redis: RedisServer;
    const bad = randomBytes(24).toString('base64');
    beforeAll(async () => {
      builtEntry('admin');
      builtEntry('example');
      redis = await RedisServer.start();
    });
    afterAll(async () => {
      await redis?.dispose();
    });

    it.each(['admin', 'example'] as const)(
      'the %s exits at start-up, naming the variable',
      async (app) => {
        const env = {
          REDIS_URL: redis.url,
          RCC_NAMESPACE: uniqueNamespace('bad-key'),
          ADMIN_PORT: String(await freePort()),
          ADMIN_TOKEN: 'bad-key-token-0123456789',
          PORT: String(await freePort()),
          RCC_ENCRYPTION_KEY: bad,
        };
        const child = AppProcess.start(app, env);
        const exit = await child.waitForExit(30_000);
        expect(exit.code).not.toBe(0);
        expect(child.log).toContain('RCC_ENCRYPTION_KEY: the key must be 32 bytes');
        expect(child.log).not.toContain(bad);
      },
    );
  });
});
