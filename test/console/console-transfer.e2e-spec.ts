import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEFAULT_SECRET_KEYS, secretKeyMatcher } from '../../apps/admin/src/secrets/secret-keys';
import { maskConfig } from '../../apps/admin/src/secrets/secret-masking';
import { ConsoleHarness, PageProblems } from './console-harness';

jest.setTimeout(60_000);

const FIXTURE = join(__dirname, '../fixtures/old-console-export.json');

/** Import (preview, pick, apply all-or-nothing) and export, through the browser. */
describe('web console: import and export (real admin, real Redis, Chromium)', () => {
  let harness: ConsoleHarness;
  let opened: { page: Page; problems: PageProblems } | null = null;
  const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as {
    group_name: string;
    config_dict: Record<string, unknown> | null;
  }[];

  const openTransfer = async () => {
    opened = await harness.signedInPage({ hash: '#/transfer' });
    await opened.page.getByRole('heading', { name: 'Import', exact: true }).waitFor();
    return opened.page;
  };
  const previewRow = (page: Page, name: string) =>
    page.locator(`.import-preview tr[data-group="${name}"]`);

  beforeAll(async () => {
    harness = await ConsoleHarness.start();
  });
  afterEach(async () => {
    if (!opened) return;
    await opened.page.context().close();
    expect(opened.problems).toEqual({ errors: [], cspViolations: [] });
    opened = null;
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('previews the old console’s export file per group, applies only the picked groups, and shows the result', async () => {
    const configOf = (name: string) =>
      fixture.find((g) => g.group_name === name)?.config_dict ?? {};
    // group_1 already stored as in the file (unchanged); group_2 stored differently (changed).
    await harness.store.publish('group_1', configOf('group_1'));
    await harness.store.publish('group_2', { youtube_apikey: 'AIza-old', qps_limit: 25 });
    const page = await openTransfer();
    await page.getByLabel('Export file (.json)').setInputFiles(FIXTURE);
    await page.getByRole('heading', { name: 'Preview of old-console-export.json' }).waitFor();

    const actions = await page
      .locator('.import-preview tbody tr[data-group]')
      .evaluateAll((rows) =>
        rows.map((r) => [r.getAttribute('data-group'), r.getAttribute('data-action')]),
      );
    expect(actions).toEqual([
      ['default', 'create'],
      ['empty', 'create'],
      ['group_1', 'unchanged'],
      ['group_2', 'update'],
      ['group_3', 'create'],
      ['group_4', 'create'],
    ]);
    expect(await previewRow(page, 'group_1').getByRole('checkbox').isDisabled()).toBe(true);
    expect(await previewRow(page, 'group_2').locator('td').nth(2).innerText()).toBe('0 → 1');

    // The diff of a changed group: what the file changes in the stored config.
    await previewRow(page, 'group_2').getByRole('button', { name: 'Diff' }).click();
    const diff = page.getByRole('figure', { name: 'group_2' });
    // The console shows what the API returns: the stored secret masked (8 characters: no tail).
    expect(await diff.locator('.diff-removed').allInnerTexts()).toEqual([
      expect.stringContaining('"youtube_apikey": "••••"'),
    ]);
    expect(await diff.locator('.diff-added').allInnerTexts()).toEqual([
      expect.stringContaining('"enabled": false'),
      expect.stringContaining('"regions": ['),
      expect.stringContaining('"cn"'),
      expect.stringContaining('"sg"'),
      expect.stringContaining(']'),
      expect.stringContaining('"youtube_apikey": "AIza-demo-key-2b"'),
    ]);
    // Nothing was written by the preview.
    expect(await harness.store.get('default')).toBeNull();

    await page.getByRole('checkbox', { name: 'Apply group_3' }).uncheck();
    await page.getByRole('checkbox', { name: 'Apply default' }).uncheck();
    await page.getByRole('button', { name: 'Apply 3 selected groups' }).click();
    const result = page.getByRole('status').filter({ hasText: 'Import applied' });
    await result.waitFor();
    expect(await result.innerText()).toContain('Created: empty, group_4');
    expect(await result.innerText()).toContain('Updated: group_2');

    expect(await harness.store.names()).toEqual(['empty', 'group_1', 'group_2', 'group_4']);
    expect(await harness.store.get('group_2')).toMatchObject({
      version: 1,
      config: configOf('group_2'),
    });
    expect((await harness.store.get('empty'))?.config).toEqual({});
  });

  it('refuses the whole apply when a group changed after the preview, and offers a new preview', async () => {
    await harness.store.publish('race', { v: 1 });
    const page = await openTransfer();
    await page.getByLabel('Export file (.json)').setInputFiles({
      name: 'race.json',
      mimeType: 'application/json',
      buffer: Buffer.from(
        JSON.stringify([
          { group_name: 'race', group_version: 0, config_dict: { v: 2 } },
          { group_name: 'race-new', group_version: 0, config_dict: { n: 1 } },
        ]),
      ),
    });
    await previewRow(page, 'race').waitFor();
    await harness.store.publish('race', { v: 'someone else' });
    await page.getByRole('button', { name: 'Apply 2 selected groups' }).click();
    await page.getByText('A group changed after the preview; nothing was written.').waitFor();
    expect(await harness.store.get('race-new')).toBeNull();
    expect((await harness.store.get('race'))?.config).toEqual({ v: 'someone else' });

    await page.getByRole('button', { name: 'Preview again' }).click();
    await page.getByRole('heading', { name: 'Preview of race.json' }).waitFor();
    expect(await previewRow(page, 'race').locator('td').nth(2).innerText()).toBe('1 → 2');
  });

  it('says why a file is refused, and writes nothing', async () => {
    const page = await openTransfer();
    await page.getByLabel('Export file (.json)').setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from('[{"group_name": "ok", "config_dict": {}}, {"group_name": 7}]'),
    });
    const alert = page.getByRole('alert').filter({ hasText: 'The file was refused' });
    await alert.waitFor();
    expect(await alert.locator('li').count()).toBeGreaterThan(0);
    expect(await harness.store.get('ok')).toBeNull();

    await page.getByLabel('Export file (.json)').setInputFiles({
      name: 'not-json.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"group_name": '),
    });
    await page.getByText(/^The file is not valid JSON/).waitFor();
  });

  it('exports every group as the old project’s file, downloaded under the server’s file name', async () => {
    await harness.store.publish('exported', { nested: { a: [1, 2] }, text: '中文' });
    await harness.store.publish('exported-secret', { api_token: 'AIza-exported-123456' });
    const page = await openTransfer();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download export file' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^rcc-export-.+\.json$/);
    const path = await download.path();
    const text = readFileSync(path, 'utf8');
    // The download is the API's export: secrets masked (the console does not ask to reveal).
    const isSecret = secretKeyMatcher(DEFAULT_SECRET_KEYS);
    const stored = await harness.store.export();
    expect(JSON.parse(text)).toEqual(
      stored.map((entry) => ({
        ...entry,
        config_dict: entry.config_dict && maskConfig(entry.config_dict, isSecret),
      })),
    );
    expect(text).not.toContain('AIza-');
    expect(JSON.parse(text)).toContainEqual({
      group_name: 'exported-secret',
      group_version: 0,
      config_dict: { api_token: '••••3456' },
    });
    const content = JSON.parse(text) as unknown;
    expect(content).toContainEqual({
      group_name: 'exported',
      group_version: 0,
      config_dict: { nested: { a: [1, 2] }, text: '中文' },
    });
  });
});
