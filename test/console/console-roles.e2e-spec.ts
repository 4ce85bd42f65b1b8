import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { AuditLog } from '../../apps/admin/src/audit/audit-log';
import type { AuditEntry } from '../../apps/admin/src/audit/audit-entry';
import { roleTokens } from '../admin/role-tokens';
import { waitFor } from '../helpers/wait-for';
import { ConsoleHarness, PageProblems, setEditorText } from './console-harness';

/**
 * The console by role (DESIGN §14), in Chromium against the real admin and Redis: a reader is
 * offered no write, a writer no reveal and no audit page, an admin everything; the audit page's
 * filters and download; a changed short secret shown as changed, never its value. Hiding is a
 * convenience: a console made to believe it is an admin still gets the server's 403, and says so.
 */
jest.setTimeout(90_000);

const { tokens, settings } = roleTokens('console');
/** Short secrets (all mask to "••••"): the history must still show that one changed. */
const OLD_SECRET = 'Qz7w';
const NEW_SECRET = 'Xk2p';
const GROUP = 'roles-youtube';

describe('web console by role (real admin, real Redis, Chromium)', () => {
  let harness: ConsoleHarness;
  const pages: { page: Page; problems: PageProblems }[] = [];

  const open = async (role: keyof typeof tokens, hash = '') => {
    const opened = await harness.signedInPage({ token: tokens[role], hash });
    pages.push(opened);
    // The role is known once the header shows it.
    await opened.page.locator('.role-badge').getByText(role, { exact: true }).waitFor();
    return opened.page;
  };
  const row = (page: Page, name: string) =>
    page.locator(`tr.group-row[data-group=${JSON.stringify(name)}]`);
  const auditEntries = (filter: Partial<Parameters<AuditLog['list']>[0]> = {}) =>
    harness.app.get(AuditLog).list({ limit: 1000, ...filter });

  beforeAll(async () => {
    harness = await ConsoleHarness.start({ settings: { tokens: settings } });
    await harness.store.publish(GROUP, { youtube_apikey: OLD_SECRET, timeout_ms: 3000 });
    await harness.store.publish(GROUP, { youtube_apikey: NEW_SECRET, timeout_ms: 3000 });
  });
  afterEach(async () => {
    for (const { page, problems } of pages.splice(0)) {
      await page.context().close();
      expect(problems).toEqual({ errors: [], cspViolations: [] });
    }
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('offers a reader no edit, delete, create, rollback, import, reveal or audit page', async () => {
    const page = await open('reader');
    expect(await page.getByRole('banner').innerText()).toContain('console-reader');
    const group = row(page, GROUP);
    await group.waitFor();
    await group.getByRole('link', { name: 'History', exact: true }).waitFor();
    for (const name of ['Edit', 'Delete']) {
      expect(await group.getByRole('button', { name, exact: true }).count()).toBe(0);
    }
    expect(await page.getByRole('button', { name: 'New group' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);

    // The JSON is masked, with no reveal offered.
    await group.getByRole('button', { name: new RegExp(GROUP) }).click();
    const json = page.locator('pre.json-view');
    await json.waitFor();
    expect(JSON.parse(await json.innerText())).toEqual({
      youtube_apikey: '••••',
      timeout_ms: 3000,
    });
    expect(await page.getByLabel('Reveal secrets').count()).toBe(0);

    await group.getByRole('link', { name: 'History', exact: true }).click();
    await page.locator('tr[data-version="0"]').waitFor();
    expect(await page.getByRole('button', { name: /Roll back/ }).count()).toBe(0);

    await page.getByRole('link', { name: 'Import / Export' }).click();
    await page.getByRole('button', { name: 'Download export file' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Import', exact: true }).count()).toBe(0);

    // Typed by hand, the audit address says who may see it, without asking the server.
    await page.goto(`${harness.baseUrl}/#/audit`);
    await page.getByText('The audit log is for tokens with the admin role.').waitFor();
  });

  it('shows that a short secret changed in the history diff, without either value', async () => {
    const page = await open('writer', `#/groups/${GROUP}/history`);
    await page.locator('tr[data-version="0"]').waitFor();
    // A writer may roll back, but not reveal.
    await page.getByRole('button', { name: 'Roll back to v0' }).waitFor();
    expect(await page.getByLabel('Reveal secrets').count()).toBe(0);
    const diff = page.locator('figure.diff');
    await diff.waitFor();
    const text = await diff.innerText();
    expect(text).toContain('"youtube_apikey": "•••• (secret changed)"');
    expect(text).not.toContain(OLD_SECRET);
    expect(text).not.toContain(NEW_SECRET);
    const content = await page.content();
    expect(content).not.toContain(OLD_SECRET);
    expect(content).not.toContain(NEW_SECRET);
  });

  it('lets a writer edit (the new secret hidden in the review) but offers no reveal nor audit', async () => {
    const page = await open('writer');
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    const group = row(page, GROUP);
    await group.getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Edit ${GROUP}` });
    await dialog.getByText('Editing version 1').waitFor();
    expect(await dialog.getByLabel('Reveal secrets').count()).toBe(0);
    await setEditorText(page, '{"youtube_apikey": "typed-Secret-9", "timeout_ms": 3000}');
    await dialog.getByRole('button', { name: 'Review changes' }).click();
    const diff = dialog.locator('figure.diff');
    await diff.waitFor();
    expect(await diff.innerText()).toContain('•••• (secret changed)');
    expect(await diff.innerText()).not.toContain('typed-Secret-9');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('shows a clear message when the server refuses what the console was made to offer (403)', async () => {
    const { page, problems } = await harness.newPage();
    pages.push({ page, problems });
    // The console is told the writer is an admin: the server still decides, and refuses.
    await page.route('**/api/session', (route) =>
      route.fulfill({ json: { label: 'console-writer', role: 'admin' } }),
    );
    await page.goto(`${harness.baseUrl}/?token=${encodeURIComponent(tokens.writer)}#/audit`);
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const alert = page.getByRole('alert').filter({ hasText: 'Not allowed' });
    await alert.waitFor();
    expect(await alert.innerText()).toContain(
      'Not allowed for your token\'s role: This route needs the "admin" role; the token "console-writer" has "writer"',
    );
  });

  it('gives an admin reveal (audited) and the audit page, whose filters and download work', async () => {
    const page = await open('admin');
    const group = row(page, GROUP);
    await group.getByRole('button', { name: new RegExp(GROUP) }).click();
    const json = page.locator('pre.json-view');
    await json.waitFor();
    expect(await json.innerText()).not.toContain(NEW_SECRET);
    await page.getByLabel('Reveal secrets').check();
    await waitFor('the revealed JSON', async () => (await json.innerText()).includes(NEW_SECRET));
    await waitFor('the reveal in the audit log', async () =>
      (await auditEntries({ action: 'revealed', actor: 'console-admin' })).some(
        (entry) => entry.group === GROUP,
      ),
    );
    // A refused request of another actor, and a write of the writer, for the filters to tell.
    const refused = await fetch(`${harness.baseUrl}/api/audit`, {
      headers: { authorization: `Bearer ${tokens.reader}` },
    });
    expect(refused.status).toBe(403);
    const created = await fetch(`${harness.baseUrl}/api/groups`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.writer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'roles-created', config: { region: 'sg' } }),
    });
    expect(created.status).toBe(201);
    await waitFor('the refusal and the creation in the audit log', async () => {
      const entries = await auditEntries();
      return (
        entries.some((entry) => entry.action === 'refused' && entry.actor === 'console-reader') &&
        entries.some((entry) => entry.action === 'created' && entry.group === 'roles-created')
      );
    });

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const rows = page.locator('tr.audit-row');
    await rows.first().waitFor();
    // One read of every row (a re-render between reads of single rows would mix two lists).
    const shownActions = () =>
      rows.evaluateAll((all) => all.map((shown) => shown.getAttribute('data-action')));
    // Newest first: the creation is above the reveal.
    const actions = await shownActions();
    expect(actions.indexOf('created')).toBeLessThan(actions.indexOf('revealed'));
    expect(await page.locator('table.audit-table').innerText()).not.toContain(NEW_SECRET);

    const filters = page.getByRole('form', { name: 'Filters' });
    const apply = async () => {
      await filters.getByRole('button', { name: 'Apply filters' }).click();
    };

    await filters.getByLabel('Action').selectOption('refused');
    await apply();
    await waitFor('only refusals', async () => {
      const shown = await shownActions();
      return shown.length > 0 && shown.every((action) => action === 'refused');
    });
    expect(await rows.first().innerText()).toContain('console-reader');

    await filters.getByLabel('Action').selectOption('');
    await filters.getByLabel('Actor').fill('console-writer');
    await filters.getByLabel('Group').fill('roles-created');
    await apply();
    await waitFor('the writer’s creation only', async () => {
      const shown = await shownActions();
      return shown.length === 1 && shown[0] === 'created';
    });

    await filters.getByLabel('Actor').fill('');
    await filters.getByLabel('Group').fill('');
    await filters.getByLabel('At most').fill('0');
    await apply();
    await filters.getByText('Enter a whole number from 1 to 10000.').waitFor();
    await filters.getByLabel('At most').fill('2');
    await apply();
    await waitFor('two entries', async () => (await rows.count()) === 2);

    // The download is the same selection, as JSON lines, without any secret.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download as JSON lines' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('rcc-audit.jsonl');
    const text = readFileSync(await download.path(), 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const downloaded = lines.map((line) => JSON.parse(line) as AuditEntry);
    expect(downloaded.map((entry) => entry.at)).toEqual(
      (await auditEntries({ limit: 2 })).map((entry) => entry.at),
    );
    expect(text).not.toContain(NEW_SECRET);
    expect(text).not.toContain(OLD_SECRET);
    for (const token of Object.values(tokens)) expect(text).not.toContain(token);
  });

  it('speaks Chinese on the audit page too', async () => {
    const opened = await harness.signedInPage({
      token: tokens.admin,
      language: 'zh-CN',
      hash: '#/audit',
    });
    pages.push(opened);
    await opened.page.getByRole('heading', { name: '审计日志' }).waitFor();
    await opened.page.getByRole('button', { name: '应用筛选' }).waitFor();
    await opened.page.getByRole('link', { name: '审计日志' }).waitFor();
  });
});
