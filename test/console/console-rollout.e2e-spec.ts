import type { Page } from 'playwright-core';
import { waitFor } from '../helpers/wait-for';
import { FleetNode, runs, startFleetNode } from '../rollouts/rollout-fleet';
import { ConsoleHarness, PageProblems, setEditorText } from './console-harness';

/** Rollouts in the web console: started from the editor, refusals shown, live view, promote. */
jest.setTimeout(60_000);

describe('web console: rollouts (real admin, real Redis, Chromium)', () => {
  let harness: ConsoleHarness;
  let nodes: FleetNode[] = [];
  const pages: { page: Page; problems: PageProblems }[] = [];

  beforeAll(async () => {
    harness = await ConsoleHarness.start();
    await harness.store.publish('team-a', { apikey: 'AIza-stable', qps_limit: 5 });
    nodes = await Promise.all(
      ['web-1', 'web-2'].map((id) => startFleetNode(harness.redis, harness.admin.namespace, id)),
    );
    const { NodeRegistry } = await import('@rcc/redis-config/publisher');
    const registry = harness.app.get(NodeRegistry);
    await waitFor(
      'two holders',
      async () => (await registry.list()).filter((node) => node.group === 'team-a').length === 2,
    );
  });
  afterEach(async () => {
    for (const { page, problems } of pages.splice(0)) {
      await page.context().close();
      expect(problems).toEqual({ errors: [], cspViolations: [] });
    }
  });
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.app.close()));
    await harness?.close();
  });

  async function reviewEdit(text: string): Promise<Page> {
    const opened = await harness.signedInPage();
    pages.push(opened);
    const { page } = opened;
    await page
      .locator('tr.group-row[data-group="team-a"]')
      .getByRole('button', { name: 'Edit', exact: true })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Edit team-a' });
    await dialog.getByText('Editing version').waitFor();
    await setEditorText(page, text);
    await dialog.getByRole('button', { name: 'Review changes' }).click();
    return page;
  }

  it('shows each node that refused the candidate, and changes nothing', async () => {
    const page = await reviewEdit('{"apikey": "", "qps_limit": 5}');
    await page.getByLabel(/^Steps/).fill('50:600000');
    await page.getByRole('button', { name: 'Start rollout' }).click();
    const refusals = page.getByTestId('rollout-refusals');
    await refusals.waitFor();
    const text = await refusals.innerText();
    expect(text).toContain('web-1');
    expect(text).toContain('web-2');
    expect(text).toContain('apikey must be a non-empty string');
    expect((await harness.store.get('team-a'))?.version).toBe(0);
  });

  it('starts from the editor, shows which node runs which version, and promotes', async () => {
    const page = await reviewEdit('{"apikey": "AIza-console", "qps_limit": 5}');
    await page.getByLabel(/^Steps/).fill('50:600000');
    await page.getByRole('button', { name: 'Start rollout' }).click();
    await page.getByRole('heading', { name: 'Rollout of team-a' }).waitFor();
    await page.getByTestId('rollout-status').filter({ hasText: 'canary' }).waitFor();
    await waitFor('one canary row', async () => {
      const roles = await page
        .getByTestId('rollout-nodes')
        .locator('tbody tr td:nth-child(3)')
        .allInnerTexts();
      return roles.filter((role) => role === 'canary').length === 1 && roles.length === 2;
    });
    await page.getByRole('button', { name: 'Promote now' }).click();
    await page.getByTestId('rollout-status').filter({ hasText: 'promoted' }).waitFor();
    for (const node of nodes) await waitFor(`${node.id} promoted`, () => runs(node).version === 1);
    expect(await page.content()).not.toContain('AIza-console'); // values stay masked
  });
});
