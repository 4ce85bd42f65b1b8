import { INestApplicationContext } from '@nestjs/common';
import {
  ConfigGroupStore,
  InvalidConfigInputError,
  parseImportFile,
} from '@rcc/redis-config/publisher';
import fc from 'fast-check';
import type Redis from 'ioredis';
import { startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import {
  hostileConfigJson,
  jsonHasLoneSurrogate,
  nameIsWritable,
  POLLUTING_JSON,
} from './hostile-arbitraries';
import { canonical, HostileAdmin, isCleanRefusal, problemFields } from './hostile-admin';
import { prototypeFingerprint, prototypesIntact } from './prototype-guard';

const RUNS = Number(process.env.HOSTILE_RUNS ?? 60);

/** A few names, so that files repeat names (duplicates) and re-import existing groups. */
const entryName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('g1', 'g2', 'g3', '__proto__', 'constructor', 'a*b') },
  { weight: 1, arbitrary: fc.constantFrom('', ' g', 'a{b}', 'line\nbreak', 'x'.repeat(129), 7) },
);
const entryVersion = fc.oneof(
  { weight: 6, arbitrary: fc.nat({ max: 1000 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(-1, 1.5, '3', null, undefined, 2 ** 53, true, [], { v: 1 }),
  },
);
const entryConfig = fc.oneof(
  { weight: 6, arbitrary: hostileConfigJson },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'null',
      '[]',
      '"text"',
      '42',
      ...POLLUTING_JSON,
      `{"deep":${'['.repeat(80)}${']'.repeat(80)}}`,
    ),
  },
);
/** One entry as JSON text: mostly well-formed, sometimes missing or extra fields, or no object. */
const entryJson: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .record(
        { name: entryName, version: entryVersion, config: entryConfig },
        { requiredKeys: ['name'] },
      )
      .map(({ name, version, config }) => {
        const members = [`"group_name":${JSON.stringify(name)}`];
        if (version !== undefined) members.push(`"group_version":${JSON.stringify(version)}`);
        if (config !== undefined) members.push(`"config_dict":${config}`);
        return `{${members.join(',')}}`;
      }),
  },
  { weight: 1, arbitrary: fc.constantFrom('null', '"g1"', '[]', '{}', '{"__proto__":{}}') },
);
const fileJson = fc.array(entryJson, { maxLength: 6 }).map((entries) => `[${entries.join(',')}]`);

/** The expected verdict on each entry, written down from DESIGN §4/§7, not from the parser. */
function entryIsValid(entry: unknown, seen: Set<string>): boolean {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return false;
  const {
    group_name: name,
    group_version: version,
    config_dict: config,
  } = entry as Record<string, unknown>;
  let valid = typeof name === 'string' && nameIsWritable(name) && !seen.has(name);
  if (typeof name === 'string' && nameIsWritable(name)) seen.add(name);
  if (version !== undefined && version !== null) {
    valid &&= Number.isSafeInteger(version) && (version as number) >= 0;
  }
  if (config !== undefined && config !== null) {
    valid &&=
      typeof config === 'object' &&
      !Array.isArray(config) &&
      depth(config) <= 64 &&
      !jsonHasLoneSurrogate(config); // not well-formed Unicode: refused (Lua's cjson cannot read it)
  }
  return valid;
}

function depth(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depth));
}

function invalidIndexes(file: unknown[]): number[] {
  const seen = new Set<string>();
  return file.flatMap((entry, index) => (entryIsValid(entry, seen) ? [] : [index]));
}

describe('hostile import files: all-or-nothing, every bad entry named, no pollution', () => {
  let redis: RedisServer;
  let raw: Redis;
  let app: INestApplicationContext;
  let store: ConfigGroupStore;
  let namespace: string;
  let fingerprint: string;

  beforeAll(async () => {
    fingerprint = prototypeFingerprint();
    redis = await RedisServer.start();
    raw = redis.client();
    namespace = uniqueNamespace('import');
    ({ app, store } = await startPublisher({ redis: { url: redis.url }, namespace }));
  });
  afterAll(async () => {
    raw.disconnect();
    await app.close();
    await redis.dispose();
  });
  afterEach(() => {
    expect(prototypesIntact(fingerprint)).toBe(true);
  });

  it('parseImportFile accepts exactly the valid files and names every bad entry by index', () => {
    fc.assert(
      fc.property(fileJson, (text) => {
        const file = JSON.parse(text) as unknown[];
        const bad = invalidIndexes(file);
        let problems: { field: string }[] = [];
        try {
          expect(parseImportFile(file).map((e) => e.group_name)).toEqual(
            file.map((e) => (e as { group_name: string }).group_name),
          );
        } catch (error) {
          if (!(error instanceof InvalidConfigInputError)) throw error;
          problems = error.problems;
        }
        const named = new Set(problems.map((p) => Number(/^\[(\d+)\]/.exec(p.field)?.[1])));
        expect([...named].sort((a, b) => a - b)).toEqual(bad);
        expect(prototypesIntact(fingerprint)).toBe(true);
      }),
      { numRuns: RUNS * 5 },
    );
  });

  it('ConfigGroupStore.import writes a valid file whole and reads it back, and a bad one not at all', async () => {
    await fc.assert(
      fc.asyncProperty(fileJson, fc.boolean(), async (text, dryRun) => {
        const file = JSON.parse(text) as Record<string, unknown>[];
        const before = await raw.hgetall(namespace);
        const bad = invalidIndexes(file);
        if (bad.length) {
          await expect(store.import(file, { dryRun })).rejects.toBeInstanceOf(
            InvalidConfigInputError,
          );
          expect(await raw.hgetall(namespace)).toEqual(before);
          return;
        }
        const result = await store.import(file, { dryRun });
        if (dryRun) {
          expect(await raw.hgetall(namespace)).toEqual(before);
          return;
        }
        expect(result.applied).toBe(true);
        for (const entry of file) {
          const name = entry.group_name as string;
          const stored = await store.get(name);
          expect(canonical(stored?.config)).toBe(canonical(entry.config_dict ?? {}));
          const plan = result.entries.find((p) => p.name === name);
          expect(stored?.version).toBe(plan?.newVersion);
          if (plan?.action === 'create') expect(plan.newVersion).toBe(entry.group_version ?? 0);
          if (plan?.action === 'update')
            expect(plan.newVersion).toBe(Number(plan.currentVersion) + 1);
        }
        // Groups the file did not name are untouched.
        const after = await raw.hgetall(namespace);
        for (const name of Object.keys(before)) {
          if (!file.some((e) => e.group_name === name)) expect(after[name]).toBe(before[name]);
        }
      }),
      { numRuns: RUNS },
    );
  });

  describe('through POST /api/import', () => {
    let h: HostileAdmin;
    beforeAll(async () => {
      h = await HostileAdmin.start();
    });
    afterAll(async () => {
      await h.close();
    });

    it('answers 200 for a valid file and a 400 naming each bad entry otherwise, writing nothing then', async () => {
      await fc.assert(
        fc.asyncProperty(fileJson, async (text) => {
          const file = JSON.parse(text) as unknown[];
          const before = await h.storedGroups();
          const answer = await h.send('post', '/api/import', text);
          const bad = invalidIndexes(file);
          if (!bad.length) {
            expect(answer.status).toBe(200);
            return;
          }
          expect(answer.status).toBe(400);
          expect(isCleanRefusal(answer)).toBe(true);
          const named = new Set(
            problemFields(answer).map((f) => Number(/^\[(\d+)\]/.exec(f)?.[1])),
          );
          expect([...named].sort((a, b) => a - b)).toEqual(bad);
          expect(await h.storedGroups()).toEqual(before);
        }),
        { numRuns: RUNS },
      );
    });
  });
});
