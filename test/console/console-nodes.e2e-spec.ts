import type { INestApplicationContext } from '@nestjs/common';
import type { Page } from 'playwright-core';
import { nodeAddress } from '@rcc/redis-config/options/redis-config.options';
import { startNode } from '../helpers/config-node';
import { waitFor } from '../helpers/wait-for';
import { ConsoleHarness, PageProblems } from './console-harness';

jest.setTimeout(60_000);

/**
 * The live nodes view: example nodes run in-process against the same Redis and namespace as the
 * admin; the console must show them, their groups and versions, and follow them when they move.
 */
describe('web console: live nodes (real nodes, real admin, Chromium)', () => {
  let harness: ConsoleHarness;
  const nodes: INestApplicationContext[] = [];
  let opened: { page: Page; problems: PageProblems } | null = null;

  const start = async (nodeId: string, group: string, sharedGroups: string[] = []) => {
    const node = await startNode({
      redis: { url: harness.redis.url },
      namespace: harness.admin.namespace,
      nodeId,
      group,
      sharedGroups,
      // A long safety-net refresh: only pushed changes reach the nodes during the test (the
      // periodic check rides on the heartbeat, every min(lease / 3, refresh): a long lease too).
      refreshMs: 60_000,
      leaseMs: 180_000,
    });
    nodes.push(node.app);
    return node;
  };
  const nodeRow = (page: Page, id: string) => page.locator(`tr[data-node="${id}"]`);

  beforeAll(async () => {
    harness = await ConsoleHarness.start();
    await harness.store.publish('alpha', { apikey: 'AIza-alpha' });
    await harness.store.publish('beta', { apikey: 'AIza-beta' });
    await harness.store.publish('gamma', { apikey: 'AIza-gamma' });
    await start('node-a1', 'alpha');
    await start('node-a2', 'alpha');
    await start('node-b1', 'beta');
    // The console shows what GET /api/nodes reports: the nodes' heartbeats must reach it first.
    await waitFor(
      'the three nodes in GET /api/nodes (heartbeats into {ns}:nodes / {ns}:node-info)',
      async () => {
        const response = await fetch(`${harness.baseUrl}/api/nodes`, {
          headers: { Authorization: `Bearer ${harness.token}` },
        });
        return ((await response.json()) as unknown[]).length === 3;
      },
      10_000,
      100,
    );
  });
  afterEach(async () => {
    if (!opened) return;
    await opened.page.context().close();
    expect(opened.problems).toEqual({ errors: [], cspViolations: [] });
    opened = null;
  });
  afterAll(async () => {
    for (const node of nodes) await node.close();
    await harness?.close();
  });

  it('shows every node with its address, group, version, when it applied it, holding and heartbeat, and nodes per group', async () => {
    opened = await harness.signedInPage({ hash: '#/nodes' });
    const { page } = opened;
    for (const id of ['node-a1', 'node-a2', 'node-b1']) await nodeRow(page, id).waitFor();

    const cells = await nodeRow(page, 'node-a1').locator('th, td').allInnerTexts();
    expect(cells[0]).toBe('node-a1');
    expect(cells[1]).not.toBe('');
    expect(cells[2]).toBe('alpha');
    expect(cells[3]).toBe('0');
    expect(cells[4]).toMatch(/s ago$/); // applied: the node reports when (DESIGN §15)
    expect(
      await nodeRow(page, 'node-a1').locator('[data-testid="node-applied"] time').count(),
    ).toBe(1);
    expect(cells[5]).toBe('pinned');
    expect(cells[6]).toBe('–'); // no shared group
    expect(cells[7]).toMatch(/s ago$/);

    const bars = await page
      .locator('.bar-chart g.bar')
      .evaluateAll((groups) => groups.map((g) => g.textContent));
    expect(bars).toEqual(['alpha2', 'beta1', 'gamma0']);
    await page.getByText('3 nodes, 0 behind the latest version').waitFor();
  });

  it('agrees in number: one node is "this node", two are "these 2 nodes"', async () => {
    opened = await harness.signedInPage();
    const { page } = opened;
    const deleteDialog = async (group: string) => {
      await page
        .locator(`tr.group-row[data-group="${group}"]`)
        .getByRole('button', { name: 'Delete', exact: true })
        .click();
      return page.getByRole('dialog', { name: `Delete ${group}?` });
    };
    let dialog = await deleteDialog('beta');
    await dialog.getByText('This node holds it now and will be moved to another group:').waitFor();
    expect(await dialog.textContent()).not.toContain('These 1 nodes');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    dialog = await deleteDialog('alpha');
    await dialog
      .getByText('These 2 nodes hold it now and will be moved to other groups:')
      .waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('tells nodes on one address apart: host name and process id from a default node id', async () => {
    const address = nodeAddress();
    const ids = [`host-x/${address}/4201`, `host-x/${address}/4202`];
    for (const id of ids) await start(id, 'gamma');
    opened = await harness.signedInPage({ hash: '#/nodes' });
    const { page } = opened;
    for (const [index, id] of ids.entries()) {
      const cell = nodeRow(page, id).locator('td').first();
      await cell.waitFor();
      expect(await cell.innerText()).toBe(`${address}\nhost-x · pid ${4201 + index}`);
    }
    // Ids of another form: the address says how many nodes share it (the Node column names them).
    expect(await nodeRow(page, 'node-a1').locator('td').first().innerText()).toBe(
      `${address}\n5 nodes at this address`,
    );
    for (const app of nodes.splice(3)) await app.close();
  });

  it('updates by itself, and highlights nodes that run an older version than their group', async () => {
    opened = await harness.signedInPage({ hash: '#/nodes' });
    const { page } = opened;
    await nodeRow(page, 'node-b1').waitFor();
    // A write straight into the hash, as a Python node of the old project makes it: no
    // notification, so the nodes keep version 0 until their (long) periodic refresh.
    const raw = harness.redis.client();
    try {
      await raw.hset(
        harness.admin.namespace,
        'beta',
        JSON.stringify({
          group_name: 'beta',
          group_version: 1,
          config_dict: { apikey: 'AIza-b2' },
        }),
      );
    } finally {
      raw.disconnect();
    }
    const behind = nodeRow(page, 'node-b1');
    await page.locator('tr.behind[data-node="node-b1"]').waitFor({ timeout: 10_000 });
    expect(await behind.locator('.badge.warn').innerText()).toBe('behind: latest is v1');
    expect(await nodeRow(page, 'node-a1').getAttribute('class')).not.toContain('behind');
  });

  it('names the nodes a delete will move, and shows them on other groups afterwards', async () => {
    opened = await harness.signedInPage();
    const { page } = opened;
    await page
      .locator('tr.group-row[data-group="alpha"]')
      .getByRole('button', { name: 'Delete', exact: true })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Delete alpha?' });
    await dialog
      .getByText('These 2 nodes hold it now and will be moved to other groups:')
      .waitFor();
    expect(await dialog.locator('.node-list li').allInnerTexts()).toEqual(['node-a1', 'node-a2']);
    await dialog.getByRole('button', { name: 'Delete alpha' }).click();
    await page.getByText('Deleted alpha. Moved nodes: node-a1, node-a2').waitFor();

    await page.getByRole('link', { name: 'Nodes' }).click();
    for (const id of ['node-a1', 'node-a2']) {
      await waitFor(
        `${id} to hold another group`,
        async () =>
          ['beta', 'gamma'].includes((await nodeRow(page, id).getAttribute('data-group')) ?? ''),
        10_000,
        100,
      );
      expect(await nodeRow(page, id).locator('td').nth(4).innerText()).toBe('assigned');
    }
    const bars = await page
      .locator('.bar-chart g.bar')
      .evaluateAll((groups) => groups.map((g) => g.textContent));
    expect(bars).toHaveLength(2);
    expect(bars.join(' ')).not.toContain('alpha');
  });

  it('shows the shared groups of each node, who follows a group, and warns before deleting it', async () => {
    await harness.store.publish('common', { timeout_ms: 3000 });
    await start('node-s1', 'beta', ['common']);
    opened = await harness.signedInPage({ hash: '#/nodes' });
    const { page } = opened;
    const shared = nodeRow(page, 'node-s1').locator('[data-shared="common"]');
    await shared.waitFor();
    expect(await shared.innerText()).toBe('common v0');
    // The chart counts holders, and shows the nodes that follow a group as a shared one in an
    // outlined bar of their own (a node moved by the delete above may hold common from the pool).
    let item = '';
    await waitFor(
      'the shared use of common in the chart',
      async () => {
        item =
          (await page.locator('.bar-chart figcaption li').allInnerTexts()).find((text) =>
            text.startsWith('common:'),
          ) ?? '';
        return /^common: held by \d+, followed as a shared group by 1$/.test(item);
      },
      5_000,
      100,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; the chart says ${JSON.stringify(item)}`);
    });
    const commonBar = page.locator('.bar-chart g.bar[data-group="common"]');
    expect(await commonBar.locator('rect.bar-shared').count()).toBe(1);
    expect(await commonBar.locator('.bar-shared-value').textContent()).toBe('1 shared');

    await page.getByRole('button', { name: 'Effective config: node-s1' }).click();
    const inspect = page.getByRole('dialog', { name: 'Effective config of node-s1' });
    await inspect.locator('tr[data-key="timeout_ms"]').waitFor();
    const sourceOf = (key: string) =>
      inspect.locator(`tr[data-key="${key}"] td[data-source]`).innerText();
    expect(await sourceOf('timeout_ms')).toBe('common');
    expect(await sourceOf('apikey')).toBe('beta');
    await inspect.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('link', { name: 'Groups' }).click();
    const row = page.locator('tr.group-row[data-group="common"]');
    await row.getByText('+1 shared').waitFor();
    await row
      .getByRole('button', { name: /common/ })
      .first()
      .click();
    expect(await page.getByTestId('shared-by').innerText()).toBe(
      'Used as a shared group by: node-s1',
    );

    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete common?' });
    const warning = dialog.getByTestId('delete-shared-warning');
    await warning.waitFor();
    expect(await warning.innerText()).toContain('1 node uses it as a shared group');
    expect(await warning.locator('li').allInnerTexts()).toEqual(['node-s1']);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });
});
