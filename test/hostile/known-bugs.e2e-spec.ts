import { ConfigChangeEvent } from '@rcc/redis-config';
import { IsOptional, IsString } from 'class-validator';
import { startNode } from '../helpers/config-node';
import { waitFor } from '../helpers/wait-for';
import { FIXED } from './known-bugs';
import { groupPath, HostileAdmin, isCleanRefusal, problemFields } from './hostile-admin';

class LooseSchema {
  @IsOptional() @IsString() apikey?: string;
}

/** `it` once the defect is fixed; until then `it.failing`: green while the defect is there. */
const until = (fixed: boolean) => (fixed ? it : it.failing);

describe('defects found by the hostile suites (each test states the correct behaviour)', () => {
  let h: HostileAdmin;

  beforeAll(async () => {
    h = await HostileAdmin.start();
  });
  afterAll(async () => {
    await h.close();
  });

  until(FIXED.loneSurrogateNames)(
    'refuses a group name holding a lone surrogate (Redis would store U+FFFD in its place)',
    async () => {
      const before = await h.storedGroups();
      // JSON.stringify writes the lone surrogates as \ud800 escapes: valid JSON text.
      const first = await h.send(
        'post',
        '/api/groups',
        JSON.stringify({ name: '\ud800x', config: {} }),
      );
      const second = await h.send(
        'post',
        '/api/groups',
        JSON.stringify({ name: '\udfffx', config: {} }),
      );
      // Today: the first is created under the field "\ufffdx" but its JSON says "\ud800x", so it
      // reads back as a broken group (version 0, no keys); the second collides with it (409).
      expect([first.status, second.status]).toEqual([400, 400]);
      expect(problemFields(first)).toEqual(['name']);
      expect(await h.storedGroups()).toEqual(before);
    },
  );

  until(FIXED.loneSurrogateConfigs)(
    'a config holding a lone surrogate is refused, or stored so that its version keeps counting',
    async () => {
      const created = await h.send(
        'post',
        '/api/groups',
        JSON.stringify({ name: 'surrogate-config', config: { key: 'half \udfff' } }),
      );
      if (created.status === 400) {
        expect(problemFields(created)).toEqual(['config']);
        return;
      }
      expect(created.status).toBe(201);
      // Today: Lua's cjson cannot decode "\udfff", the script takes the group for unreadable
      // data, and the write is refused as a conflict (expected 0, stored "none")...
      const update = await h.send('put', groupPath('surrogate-config'), {
        config: { key: 'whole' },
        expectedVersion: 0,
      });
      expect(update.status).toBe(200);
      expect(update.body).toMatchObject({ version: 1 });
    },
  );

  until(FIXED.loneSurrogateConfigs)(
    'a replace without expectedVersion never sends a version backwards',
    async () => {
      const name = 'surrogate-replace';
      await h.send('post', '/api/groups', { name, config: { key: 'plain' } });
      const second = await h.send(
        'put',
        groupPath(name),
        JSON.stringify({ config: { key: 'half \ud800' } }),
      );
      if (second.status !== 200) expect(isCleanRefusal(second)).toBe(true);
      const third = await h.send('put', groupPath(name), { config: { key: 'plain again' } });
      // ...and without expectedVersion it replaces the group as version 0 again (today).
      expect(third.status).toBe(200);
      expect(third.body).toMatchObject({ version: second.status === 200 ? 2 : 1 });
    },
  );

  until(FIXED.deepNonConfigFields)(
    'answers deep nesting outside "config" with a 400 naming the field, not a 500',
    async () => {
      const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
      const before = await h.storedGroups();
      for (const [field, text] of [
        ['name', `{"name":${deep},"config":{}}`],
        ['comment', `{"name":"deep-comment","comment":${deep},"config":{}}`],
        ['extra', `{"name":"deep-extra","extra":${deep},"config":{}}`],
      ]) {
        const answer = await h.send('post', '/api/groups', text);
        // Today: structuredClone in the admin validation pipe overflows the stack: 500.
        expect(answer.status).toBe(400);
        expect(problemFields(answer)).toContain(field);
      }
      expect(await h.storedGroups()).toEqual(before);
    },
  );

  until(FIXED.nestedConstructorKeyWithSchema)(
    'a node with a class-validator schema applies a valid config holding a nested "constructor" key',
    async () => {
      await h.send('put', groupPath('schema'), { config: { apikey: 'first' } });
      const { app, config } = await startNode({
        redis: { url: h.redis.url },
        namespace: h.namespace,
        group: 'schema',
        validate: LooseSchema,
      });
      try {
        const events: ConfigChangeEvent[] = [];
        config.onChange((event) => events.push(event));
        const answer = await h.send('put', groupPath('schema'), {
          config: { apikey: 'second', limits: { constructor: 1 } },
        });
        await waitFor('the node to apply or refuse the version', () => events.length > 0);
        // Today: rejected, "Cannot read properties of undefined (reading 'constructor')".
        expect(events[0].rejected).toBeUndefined();
        expect(config.getConfigGroup()?.version).toBe((answer.body as { version: number }).version);
      } finally {
        await app.close();
      }
    },
  );
});
