import type { Page } from 'playwright-core';
import { AdminEnvironments } from '../../apps/admin/src/environments/admin-environments';
import { roleTokens } from '../admin/role-tokens';
import {
  startTwoEnvironmentAdmin,
  seedGroup,
  startTwoRedis,
  TwoRedis,
} from '../environments/two-environments';
import { closeCleanPages, ConsoleHarness, PageProblems, setEditorText } from './console-harness';

/**
 * The console over two environments (DESIGN §19), in Chromium: the switcher on every page with
 * the protected environment marked, compare with promote (keys chosen), and the pending changes
 * page where another token approves — in English and Chinese.
 */
jest.setTimeout(90_000);

const { tokens, settings } = roleTokens('console-env');
const SECRET = 'staging-secret-apikey-77';

describe('web console: environments, compare and promote, change requests (Chromium)', () => {
  let redis: TwoRedis;
  let harness: ConsoleHarness;
  const pages: { page: Page; problems: PageProblems }[] = [];

  const open = async (role: keyof typeof tokens, hash = '', language?: 'en' | 'zh-CN') => {
    const opened = await harness.signedInPage({ token: tokens[role], hash, language });
    pages.push(opened);
    return opened.page;
  };

  beforeAll(async () => {
    redis = await startTwoRedis();
    const admin = await startTwoEnvironmentAdmin(redis, {
      tokens: settings,
      protectedEnvironments: 'production',
    });
    harness = await ConsoleHarness.over(redis.staging, admin);
    await seedGroup(redis.staging.client(), admin.namespaces.staging, 'orders', {
      qps: 9,
      apikey: SECRET,
      flag: true,
    });
    await seedGroup(redis.productionClient(), admin.namespaces.production, 'orders', { qps: 5 });
  });
  afterEach(() => closeCleanPages(pages));
  const production = () => harness.app.get(AdminEnvironments).named('production');
  afterAll(async () => {
    await harness?.close();
    await redis?.production.dispose();
  });

  it('switches environment on every page; the protected one is marked', async () => {
    const page = await open('reader');
    const switcher = page.getByRole('combobox', { name: 'Environment' });
    await switcher.waitFor();
    expect(await switcher.inputValue()).toBe('staging');
    await page.locator('tr.group-row[data-group="orders"]').waitFor();
    await switcher.selectOption('production');
    await page.locator('.env-badge').getByText('production · protected').waitFor();
    expect(await page.locator('header.app-header.production').count()).toBe(1);
    await page.getByRole('link', { name: 'Nodes' }).click();
    expect(await page.getByRole('combobox', { name: 'Environment' }).inputValue()).toBe(
      'production',
    );
  });

  it('compares, promotes the chosen keys into production (a request), and another token approves', async () => {
    const writer = await open('writer', '#/compare/orders');
    const table = writer.locator('table.diff-table');
    await table.getByRole('rowheader', { name: 'qps' }).waitFor();
    expect(await table.innerText()).not.toContain(SECRET);
    expect(await table.innerText()).toContain('hidden');
    // Only qps: untick the flag.
    await writer.getByRole('checkbox', { name: 'Promote flag' }).uncheck();
    await writer.getByRole('button', { name: /Promote 1 key into production/ }).click();
    await writer.getByText(/is waiting for approval in production/).waitFor();

    const admin = await open('admin', '#/changes');
    await admin.getByRole('combobox', { name: 'Environment' }).selectOption('production');
    const request = admin.locator('article.change-request').first();
    await request.waitFor();
    expect(await request.innerText()).toContain('console-env-writer');
    await request.getByRole('button', { name: 'Approve' }).click();
    await admin.getByText(/: applied\./).waitFor();
    const promoted = await production().store.get('orders');
    expect(promoted?.config).toEqual({ qps: 9 });
  });

  it('a save in the protected environment says it awaits approval, and changes nothing', async () => {
    const writer = await open('writer');
    await writer.getByRole('combobox', { name: 'Environment' }).selectOption('production');
    await writer.locator('.env-badge').getByText('production · protected').waitFor();
    const orders = writer.locator('tr.group-row[data-group="orders"]');
    await orders.getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = writer.getByRole('dialog', { name: 'Edit orders' });
    await dialog.getByText(/Editing version \d+/).waitFor();
    const before = await production().store.get('orders');
    await setEditorText(writer, JSON.stringify({ ...before?.config, qps: 6 }));
    await dialog.getByRole('button', { name: 'Review changes' }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    const notice = dialog.getByRole('alert').filter({ hasText: 'Not applied yet' });
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(/change request \S+ waits for another token/);
    // The dialog stays open (no saved version to show) and production is as it was.
    expect(await dialog.isVisible()).toBe(true);
    expect(await production().store.get('orders')).toEqual(before);
  });

  it('offers the author withdraw, not approve; in Chinese too', async () => {
    const writer = await open('writer', '#/compare/orders', 'zh-CN');
    await writer.getByRole('combobox', { name: '环境' }).first().waitFor();
    await writer.locator('table.diff-table').waitFor();
    await writer.getByRole('button', { name: /推广 \d+ 个键到 production/ }).click();
    await writer.getByText(/正在 production 等待审批/).waitFor();
    await writer.getByRole('link', { name: '变更审批' }).click();
    await writer.getByRole('combobox', { name: '环境' }).first().selectOption('production');
    const request = writer.locator('article.change-request').first();
    await request.getByRole('button', { name: '撤回' }).waitFor();
    expect(await request.getByRole('button', { name: '批准' }).count()).toBe(0);
    await request.getByRole('button', { name: '撤回' }).click();
    await writer
      .getByText(/已撤回/)
      .first()
      .waitFor();
  });
});
