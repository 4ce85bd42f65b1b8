import type { Page } from 'playwright-core';
import { waitFor } from '../helpers/wait-for';
import { ConsoleHarness, inPage, PageProblems, setEditorText } from './console-harness';

/** The group screens of the web console, driven in Chromium against the real admin and Redis. */
jest.setTimeout(60_000);

describe('web console: groups (real admin, real Redis, Chromium)', () => {
  let harness: ConsoleHarness;
  const pages: { page: Page; problems: PageProblems }[] = [];

  const open = async (options: Parameters<ConsoleHarness['signedInPage']>[0] = {}) => {
    const opened = await harness.signedInPage(options);
    pages.push(opened);
    return opened.page;
  };
  const row = (page: Page, name: string) =>
    page.locator(`tr.group-row[data-group=${JSON.stringify(name)}]`);

  beforeAll(async () => {
    harness = await ConsoleHarness.start();
  });
  afterEach(async () => {
    // No page may have thrown, or hit the Content-Security-Policy.
    for (const { page, problems } of pages.splice(0)) {
      await page.context().close();
      expect(problems).toEqual({ errors: [], cspViolations: [] });
    }
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('signs in with the token form, refuses a wrong token, and keeps the token for the tab only', async () => {
    const { page, problems, context } = await harness.newPage();
    pages.push({ page, problems });
    await page.goto(harness.baseUrl);
    const token = page.getByLabel('Admin token');
    await token.fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The token was rejected.').waitFor();

    await token.fill(harness.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Config groups' }).waitFor();
    const storage = await inPage<{ session: string; local: string; cookies: string }>(
      page,
      `({ session: sessionStorage.getItem('rcc.console.token'),
          local: JSON.stringify(localStorage), cookies: document.cookie })`,
    );
    expect(storage.session).toBe(harness.token);
    expect(storage.local).not.toContain(harness.token);
    expect(storage.cookies).toBe('');

    // A new tab of the same browser has no session: it asks again.
    const other = await context.newPage();
    await other.goto(harness.baseUrl);
    await other.getByLabel('Admin token').waitFor();
    await other.close();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    expect(await inPage(page, `sessionStorage.getItem('rcc.console.token')`)).toBeNull();
  });

  it('signs in directly from a link with ?token=, removes the token from the address bar, and shows the Redis header', async () => {
    const page = await open({ hash: '#/nodes' });
    expect(page.url()).toBe(`${harness.baseUrl}/#/nodes`);
    await page.getByRole('heading', { name: 'Nodes', level: 1 }).waitFor();
    const history = await inPage<string>(page, 'window.location.search');
    expect(history).toBe('');

    // The old console's header: where the groups live, and a loud PRODUCTION label.
    const header = page.getByRole('banner');
    await header.getByText(`127.0.0.1:${harness.redis.port}`).waitFor();
    expect(await header.innerText()).toContain('db 0');
    expect(await header.innerText()).toContain(harness.admin.namespace);
    const environment = header.locator('.env-badge');
    expect(await environment.innerText()).toBe('PRODUCTION');
    expect(await environment.getAttribute('class')).toContain('env-production');
    expect(await header.getAttribute('class')).toContain('production');
  });

  it('lists groups with version, key count, last change and node count; searches; expands a row to its JSON', async () => {
    await harness.store.publish('search-alpha', { url: 'https://a.example', retries: 3 });
    await harness.store.publish('search-alpha', { url: 'https://a.example', retries: 4, x: true });
    await harness.store.publish('search-beta', { only: 'one' });
    const page = await open();

    const alpha = row(page, 'search-alpha');
    await alpha.waitFor();
    expect(await alpha.locator('td').allInnerTexts()).toEqual([
      '1',
      '3',
      expect.stringMatching(/s ago$/),
      '0',
      expect.stringContaining('Edit'),
    ]);

    await page.getByRole('searchbox', { name: 'Search groups' }).fill('BETA');
    await waitFor(
      'the search to leave one group',
      async () => (await page.locator('tr.group-row').count()) === 1,
    );
    await row(page, 'search-beta').waitFor();

    await page.getByRole('searchbox', { name: 'Search groups' }).fill('zzz-none');
    await page.getByText('No group name contains “zzz-none”.').waitFor();

    await page.getByRole('searchbox', { name: 'Search groups' }).fill('search-');
    const expander = row(page, 'search-alpha').getByRole('button', { name: /search-alpha/ });
    expect(await expander.getAttribute('aria-expanded')).toBe('false');
    await expander.click();
    expect(await expander.getAttribute('aria-expanded')).toBe('true');
    const json = page.locator('pre.json-view');
    await json.waitFor();
    expect(JSON.parse(await json.innerText())).toEqual({
      url: 'https://a.example',
      retries: 4,
      x: true,
    });
  });

  it('creates a group, checking the JSON as it is typed', async () => {
    const page = await open();
    await page.getByRole('button', { name: 'New group' }).click();
    const dialog = page.getByRole('dialog', { name: 'New config group' });
    await dialog.getByLabel('Group name').fill('created-in-browser');

    await setEditorText(page, '{"timeout_ms": 3000,');
    await dialog.getByText(/^Invalid JSON/).waitFor();
    expect(await dialog.getByRole('button', { name: 'Create' }).isDisabled()).toBe(true);

    await setEditorText(page, '[1, 2]');
    await dialog.getByText(/must be a JSON object/).waitFor();
    expect(await dialog.getByRole('button', { name: 'Create' }).isDisabled()).toBe(true);

    await setEditorText(page, '{"timeout_ms": 3000, "regions": ["sg", "de"]}');
    await dialog.getByText('Valid JSON object with 2 keys.').waitFor();
    await dialog.getByLabel('Comment (optional)').fill('from the console');
    await dialog.getByRole('button', { name: 'Create' }).click();

    await page.getByText('Saved created-in-browser as version 0.').waitFor();
    await row(page, 'created-in-browser').waitFor();
    const stored = await harness.store.get('created-in-browser');
    expect(stored).toMatchObject({
      version: 0,
      config: { timeout_ms: 3000, regions: ['sg', 'de'] },
      comment: 'from the console',
      author: 'tester',
    });

    // The name is taken now: a second create says so and changes nothing.
    await page.getByRole('button', { name: 'New group' }).click();
    await page.getByLabel('Group name').fill('created-in-browser');
    await setEditorText(page, '{"other": 1}');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByText('A group named created-in-browser already exists.').waitFor();
    expect((await harness.store.get('created-in-browser'))?.config).toEqual(stored?.config);
  });

  it('edits with a diff before saving; a concurrent change is a clear conflict and never overwritten', async () => {
    await harness.store.publish('edited', { qps: 10, key: 'AIza-old' });
    const page = await open();
    await row(page, 'edited').getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit edited' });
    await dialog.getByText('Editing version 0').waitFor();
    await setEditorText(page, '{"qps": 20, "key": "AIza-old"}');
    await dialog.getByRole('button', { name: 'Review changes' }).click();
    const diff = dialog.locator('.diff-lines');
    expect(await diff.locator('.diff-removed').allInnerTexts()).toEqual([
      expect.stringContaining('"qps": 10'),
    ]);
    expect(await diff.locator('.diff-added').allInnerTexts()).toEqual([
      expect.stringContaining('"qps": 20'),
    ]);

    // Someone else saves between opening the editor and saving.
    await harness.store.publish('edited', { qps: 10, key: 'AIza-new' }, { author: 'colleague' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    const conflict = dialog.getByRole('alert').filter({ hasText: 'Conflict' });
    await conflict.waitFor();
    expect(await conflict.innerText()).toContain('now version 1');
    expect(await harness.store.get('edited')).toMatchObject({
      version: 1,
      config: { qps: 10, key: 'AIza-new' },
    });
    expect(await dialog.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);

    // Rebase: the diff is now against the colleague's version, and my edit is kept.
    await dialog.getByRole('button', { name: 'Reload the latest and keep my edit' }).click();
    await dialog.getByText('Editing version 1').waitFor();
    await dialog.getByText('Changes against the stored version 1').waitFor();
    expect(await diff.locator('.diff-removed').allInnerTexts()).toEqual([
      expect.stringContaining('"key": "AIza-new"'),
      expect.stringContaining('"qps": 10'),
    ]);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved edited as version 2.').waitFor();
    expect(await harness.store.get('edited')).toMatchObject({
      version: 2,
      config: { qps: 20, key: 'AIza-old' },
    });
  });

  it('shows secrets masked in the editor; saving the mask unchanged keeps the stored secret', async () => {
    const secret = 'AIza-console-secret-4321';
    await harness.store.publish('with-secret', { qps: 10, youtube_apikey: secret });
    const page = await open();
    await row(page, 'with-secret').getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit with-secret' });
    await dialog.getByText('Editing version 0').waitFor();
    // What the REST API answers: the mask, never the value.
    expect(JSON.parse(await page.locator('.cm-content').innerText())).toEqual({
      qps: 10,
      youtube_apikey: '••••4321',
    });
    expect(await page.content()).not.toContain(secret);
    await setEditorText(page, '{"qps": 20, "youtube_apikey": "••••4321"}');
    await dialog.getByRole('button', { name: 'Review changes' }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved with-secret as version 1.').waitFor();
    expect(await harness.store.get('with-secret')).toMatchObject({
      version: 1,
      config: { qps: 20, youtube_apikey: secret },
    });
  });

  it('discards an edit on conflict and loads the latest version instead', async () => {
    await harness.store.publish('discarded', { a: 1 });
    const page = await open();
    await row(page, 'discarded').getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit discarded' });
    await setEditorText(page, '{"a": 2}');
    await dialog.getByRole('button', { name: 'Review changes' }).click();
    await harness.store.publish('discarded', { a: 3 });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('button', { name: 'Discard my edit and load the latest' }).click();
    await dialog.getByText('Editing version 1').waitFor();
    expect(JSON.parse(await page.locator('.cm-content').innerText())).toEqual({ a: 3 });
    expect((await harness.store.get('discarded'))?.config).toEqual({ a: 3 });
  });

  it('deletes a group after a confirmation', async () => {
    await harness.store.publish('doomed', { k: 'v' });
    const page = await open();
    await row(page, 'doomed').getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete doomed?' });
    await dialog.getByText('No node holds this group now.').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await harness.store.get('doomed')).not.toBeNull();

    await row(page, 'doomed').getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('button', { name: 'Delete doomed' }).click();
    await page.getByText('Deleted doomed.').waitFor();
    await row(page, 'doomed').waitFor({ state: 'detached' });
    expect(await harness.store.get('doomed')).toBeNull();
  });

  it('shows the history with a diff between any two versions, and rolls back', async () => {
    await harness.store.publish('versioned', { step: 0 });
    await harness.store.publish('versioned', { step: 1, added: 'yes' });
    await harness.store.publish('versioned', { step: 2, added: 'yes' });
    const page = await open();
    await row(page, 'versioned').getByRole('link', { name: 'History', exact: true }).click();
    await page.getByRole('heading', { name: 'History of versioned' }).waitFor();
    // The heading shows before the rows arrive: on a loaded machine, evaluating at once saw none.
    await page.locator('.history-table tbody tr[data-version="0"]').waitFor();
    expect(
      await page
        .locator('.history-table tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-version'))),
    ).toEqual(['2', '1', '0']);

    // Default: the previous version against the current one.
    await page.getByRole('figure', { name: 'v1 → v2' }).waitFor();
    await page.getByLabel('Compare from').selectOption('0');
    const diff = page.getByRole('figure', { name: 'v0 → v2' });
    expect(await diff.locator('.diff-added').allInnerTexts()).toEqual([
      expect.stringContaining('"added": "yes"'),
      expect.stringContaining('"step": 2'),
    ]);

    await page.getByRole('button', { name: 'Roll back to v0' }).click();
    const dialog = page.getByRole('dialog', { name: 'Roll back to v0' });
    await dialog.getByRole('button', { name: 'Roll back to v0' }).click();
    await page.getByText('Rolled back versioned: version 3 published.').waitFor();
    expect(await harness.store.get('versioned')).toMatchObject({ version: 3, config: { step: 0 } });
    await page.locator('.history-table tr[data-version="3"]').getByText('current').waitFor();
  });

  it('renders markup in a group name and in a value as inert text', async () => {
    const name = '<img src=x onerror="window.__xss=1">';
    const value = '<script>window.__xss=2</script><img src=y onerror="window.__xss=3">';
    await harness.store.publish(name, {
      payload: value,
      [`<b onmouseover="window.__xss=4">k</b>`]: 1,
    });
    await harness.store.publish(name, { payload: value, second: '<svg onload="window.__xss=5">' });
    const page = await open();

    const xssRow = row(page, name);
    await xssRow.getByRole('button', { name }).click();
    const json = page.locator('pre.json-view');
    await json.waitFor();
    expect(await json.innerText()).toContain(value.replace(/"/g, '\\"'));
    await xssRow.getByRole('link', { name: 'History', exact: true }).click();
    await page.getByRole('heading', { name: `History of ${name}` }).waitFor();
    await page.locator('.diff-lines').waitFor();
    await page.getByRole('link', { name: 'Back to groups' }).click();
    await row(page, name).getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog', { name: `Delete ${name}?` }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('link', { name: 'Nodes' }).click();
    await page.locator(`.bar-chart g[data-group=${JSON.stringify(name)}]`).waitFor();

    const state = await inPage<{ flag: unknown; injected: number }>(
      page,
      `({ flag: window.__xss,
          injected: document.querySelectorAll('img, script:not([src]), svg [onload], b').length })`,
    );
    expect(state).toEqual({ flag: undefined, injected: 0 });
  });

  it('switches to Simplified Chinese and remembers the choice', async () => {
    const page = await open();
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('heading', { name: '配置组', level: 1 }).waitFor();
    await page.getByRole('button', { name: '新建配置组' }).waitFor();
    expect(await inPage(page, 'document.documentElement.lang')).toBe('zh-CN');

    await page.reload();
    await page.getByRole('link', { name: '节点' }).click();
    await page.getByRole('heading', { name: '节点', level: 1 }).waitFor();
    await page.getByLabel('语言').selectOption('en');
    await page.getByRole('heading', { name: 'Nodes', level: 1 }).waitFor();
  });

  it('is usable from the keyboard: "/" to search, Enter to expand, Escape to close a dialog', async () => {
    await harness.store.publish('keyboard-group', { k: 1 });
    const page = await open();
    await row(page, 'keyboard-group').waitFor();
    await page.keyboard.press('/');
    expect(await inPage(page, `document.activeElement?.getAttribute('name')`)).toBe('search');
    await page.keyboard.type('keyboard');
    await waitFor('the filter', async () => (await page.locator('tr.group-row').count()) === 1);

    await page.keyboard.press('Tab'); // Refresh
    await page.keyboard.press('Tab'); // New group
    await page.keyboard.press('Tab'); // the row's name
    await page.keyboard.press('Enter');
    await page.locator('pre.json-view').waitFor();

    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter'); // New group
    await page.getByRole('dialog', { name: 'New config group' }).waitFor();
    // Focus must be on the opener the moment the dialog leaves the DOM, or a key typed right after
    // Escape lands on <body>. Recorded by a MutationObserver, so the check rests on the order of
    // events, not on whether the test's read comes before or after the page's next frame.
    await inPage(
      page,
      `new MutationObserver((records, observer) => {
        if (document.querySelector('dialog')) return;
        observer.disconnect();
        window.__focusAtClose = { text: document.activeElement?.textContent ?? null };
      }).observe(document.documentElement, { childList: true, subtree: true })`,
    );
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const focusAtClose = await waitFor('the dialog to leave the DOM', () =>
      inPage<{ text: string | null } | undefined>(page, 'window.__focusAtClose'),
    );
    expect(focusAtClose?.text).toBe('New group');
  });

  it('fits a narrow window without horizontal scrolling', async () => {
    await harness.store.publish('narrow-window-group-with-a-rather-long-name', { k: 'v' });
    const page = await open({ width: 400 });
    await row(page, 'narrow-window-group-with-a-rather-long-name').waitFor();
    for (const hash of ['#/groups', '#/nodes', '#/transfer']) {
      await inPage(page, `window.location.hash = ${JSON.stringify(hash)}`);
      await page.locator('h1').first().waitFor();
      const overflow = await inPage<number>(
        page,
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect({ hash, overflow }).toEqual({ hash, overflow: 0 });
    }
  });
});
