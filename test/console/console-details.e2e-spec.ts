import type { Page } from 'playwright-core';
import { ConsoleHarness, PageProblems, setEditorText } from './console-harness';

/**
 * Details a newcomer saw in the console (issue 25 point 10), in Chromium against the real admin:
 * the review diff shows what changed (not a comma) and says what it folded; a success message
 * does not follow the user to another tab; the header names a token once; the Rollout page of a
 * group that never had one asks nothing that fails.
 */
jest.setTimeout(60_000);

describe('web console details (real admin, real Redis, Chromium)', () => {
  let harness: ConsoleHarness;
  const pages: { page: Page; problems: PageProblems; failed: string[] }[] = [];

  /** A signed-in page that also records every response of 400 or more (Chromium logs them). */
  const open = async (hash = '') => {
    const opened = await harness.signedInPage({ hash });
    const failed: string[] = [];
    opened.page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    opened.page.on('console', (message) => {
      if (message.type() === 'error') failed.push(message.text());
    });
    pages.push({ ...opened, failed });
    return { page: opened.page, failed };
  };

  const reviewEdit = async (page: Page, group: string, text: string) => {
    await page
      .locator(`tr.group-row[data-group="${group}"]`)
      .getByRole('button', { name: 'Edit', exact: true })
      .click();
    const dialog = page.getByRole('dialog', { name: `Edit ${group}` });
    await dialog.getByText('Editing version').waitFor();
    await setEditorText(page, text);
    await dialog.getByRole('button', { name: 'Review changes' }).click();
    await dialog.locator('.diff-lines').waitFor();
    return dialog;
  };

  beforeAll(async () => {
    harness = await ConsoleHarness.start();
    await harness.store.publish('commas', { a_key: 1, b_key: 2 });
    const many = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`key_${String(i).padStart(2, '0')}`, i]),
    );
    await harness.store.publish('many', many);
    await harness.store.publish('quiet', { apikey: 'AIza-quiet' });
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

  it('shows a key added last as one added line: the comma it moves is no change', async () => {
    const { page } = await open();
    const dialog = await reviewEdit(page, 'commas', '{"a_key": 1, "b_key": 2, "c_key": 3}');
    const diff = dialog.locator('.diff-lines');
    const texts = async (kind: string) =>
      (await diff.locator(`.diff-${kind}`).allInnerTexts()).map((text) => text.trimEnd());
    expect(await texts('removed')).toEqual([]);
    expect(await texts('added')).toEqual(['+  "c_key": 3']);
  });

  it('says in words how many unchanged lines it folded', async () => {
    const { page } = await open();
    const many = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [
        `key_${String(i).padStart(2, '0')}`,
        i === 19 ? 99 : i,
      ]),
    );
    const dialog = await reviewEdit(page, 'many', JSON.stringify(many));
    const skipped = dialog.locator('.diff-skipped');
    // "{" and key_00 … key_15: 17 lines, folded; key_16 … key_18 stay as context.
    expect((await skipped.allInnerTexts()).map((text) => text.trimEnd())).toEqual([
      '⋯ 17 unchanged lines',
    ]);
  });

  it('clears a success message when the user goes to another tab', async () => {
    const { page } = await open();
    const dialog = await reviewEdit(page, 'quiet', '{"apikey": "AIza-quiet-2"}');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved quiet as version 1.').waitFor();
    await page.getByRole('link', { name: 'Nodes' }).click();
    await page.getByRole('heading', { name: 'Nodes', exact: true }).waitFor();
    // The message lasts 6 s on its own page; another tab drops it at once.
    await page.locator('.notice').waitFor({ state: 'detached', timeout: 1_000 });
  });

  it('names a token once when its label is its role', async () => {
    const { page, problems } = await harness.newPage();
    pages.push({ page, problems, failed: [] });
    await page.route('**/api/session', (route) =>
      route.fulfill({ json: { label: 'admin', role: 'admin' } }),
    );
    await page.goto(`${harness.baseUrl}/?token=${encodeURIComponent(harness.token)}`);
    await page.locator('.role-badge').waitFor();
    expect(await page.locator('.app-header .session').innerText()).toBe('admin');

    // A label that is not the role keeps both, each said for what it is.
    const other = await open();
    const session = other.page.locator('.app-header .session');
    await session.locator('.role-badge').waitFor();
    expect(await session.innerText()).toMatch(/^tester\s*admin$/);
    expect(await session.getAttribute('title')).toBe('Token: tester, role: admin');
  });

  it('opens the Rollout page of a group that never had one without a failed request', async () => {
    const { page, failed } = await open('#/groups/quiet/rollout');
    await page.getByText('This group has had no rollout yet.').waitFor();
    await page.waitForTimeout(2_500); // the page polls every second
    expect(failed).toEqual([]);
  });
});
