import fc from 'fast-check';
import {
  jsonHasLoneSurrogate,
  hostileConfigJson,
  hostileName,
  nameIsWritable,
} from './hostile-arbitraries';
import {
  Answer,
  canonical,
  groupPath,
  HostileAdmin,
  isCleanRefusal,
  problemFields,
} from './hostile-admin';
import { prototypeFingerprint, prototypesIntact } from './prototype-guard';

/**
 * The fields a write must be refused for, written down independently of the library: a name
 * breaking the naming rule, a config holding text that is not well-formed Unicode.
 */
function expectedProblems(name: string | null, configJson: string): string[] {
  const problems: string[] = [];
  if (name !== null && !nameIsWritable(name)) problems.push('name');
  if (jsonHasLoneSurrogate(JSON.parse(configJson))) problems.push('config');
  return problems;
}

/** Bounded runs: the whole suite stays well under a minute on two shared cores. */
const RUNS = Number(process.env.HOSTILE_RUNS ?? 80);

describe('hostile REST input on groups: a clear 4xx or a correct write, never a 500 (real admin, real Redis)', () => {
  let h: HostileAdmin;
  let fingerprint: string;
  const created = new Set<string>();

  beforeAll(async () => {
    fingerprint = prototypeFingerprint();
    h = await HostileAdmin.start();
  });
  afterAll(async () => {
    await h.close();
  });
  afterEach(() => {
    expect(prototypesIntact(fingerprint)).toBe(true);
  });

  /** The group as the API returns it, and as the list and export show it. */
  async function expectStored(name: string, configJson: string, version: number): Promise<void> {
    const expected = canonical(JSON.parse(configJson));
    const read = await h.send('get', groupPath(name));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ name, version });
    expect(canonical((read.body as { config: unknown }).config)).toBe(expected);
    const list = await h.send('get', '/api/groups');
    expect(list.status).toBe(200);
    const listed = (list.body as { name: string }[]).filter((g) => g.name === name);
    expect(listed).toHaveLength(1);
    const exported = await h.send('get', '/api/export');
    const entry = (exported.body as { group_name: string; config_dict: unknown }[]).find(
      (e) => e.group_name === name,
    );
    expect(canonical(entry?.config_dict)).toBe(expected);
  }

  it('POST /api/groups with hostile names and configs: 201 and read back exactly, or 400 naming the fields', async () => {
    await fc.assert(
      fc.asyncProperty(hostileName, hostileConfigJson, async (name, configJson) => {
        const before = await h.storedGroups();
        const answer = await h.send(
          'post',
          '/api/groups',
          `{"name":${JSON.stringify(name)},"config":${configJson}}`,
        );
        const problems = expectedProblems(name, configJson);
        if (problems.length) {
          expect(isCleanRefusal(answer)).toBe(true);
          expect(answer.status).toBe(400);
          expect(problemFields(answer)).toEqual(problems);
          expect(await h.storedGroups()).toEqual(before);
        } else if (created.has(name)) {
          expect(answer.status).toBe(409);
          expect(await h.storedGroups()).toEqual(before);
        } else {
          expect(answer.status).toBe(201);
          created.add(name);
          await expectStored(name, configJson, 0);
        }
        expect(prototypesIntact(fingerprint)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('PUT /api/groups/:name with hostile names in the path: 200 and read back, or a clean 400', async () => {
    await fc.assert(
      fc.asyncProperty(hostileName, hostileConfigJson, async (name, configJson) => {
        let path: string;
        try {
          path = groupPath(name);
        } catch {
          return; // a lone surrogate cannot be put in a URL by any client
        }
        const before = await h.storedGroups();
        const current = await h.send('get', path);
        const answer: Answer = await h.send('put', path, `{"config":${configJson}}`);
        if (expectedProblems(name, configJson).length) {
          expect([400, 404]).toContain(answer.status); // 404: "" leaves no name in the path
          expect(isCleanRefusal(answer)).toBe(true);
          expect(await h.storedGroups()).toEqual(before);
          return;
        }
        expect(answer.status).toBe(200);
        const version =
          current.status === 200 ? (current.body as { version: number }).version + 1 : 0;
        created.add(name);
        await expectStored(name, configJson, version);
      }),
      { numRuns: RUNS },
    );
  });
});
