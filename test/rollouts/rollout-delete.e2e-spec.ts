import { authorizedApi, groupPath, startAdmin, TestAdmin } from '../admin/admin-app';
import { RedisServer } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

/**
 * Issue 23 #6: a deleted group's rollout (state and candidate, secrets included) used to survive
 * the delete, served by `GET …/rollouts/current?reveal=true`.
 */
describe('deleting a group deletes its rollout', () => {
  let redis: RedisServer;
  let admin: TestAdmin;
  const api = authorizedApi(() => admin);

  beforeAll(async () => {
    redis = await RedisServer.start();
    admin = await startAdmin(redis);
  });
  afterAll(async () => {
    await admin?.app.close();
    await redis?.dispose();
  });

  it('leaves no rollout state nor candidate behind', async () => {
    await api
      .put(groupPath('doomed'))
      .send({ config: { apikey: 'AIza-stable' } })
      .expect(200);
    // No node holds it: verification passes at once, and the rollout is promoted.
    await api
      .post(`${groupPath('doomed')}/rollouts`)
      .send({ config: { apikey: 'AIza-candidate-secret' } })
      .expect(201);
    await waitFor('the rollout promoted', async () => {
      const current = await api.get(`${groupPath('doomed')}/rollouts/current`);
      return (current.body as { status?: string }).status === 'promoted';
    });
    const rolloutKey = `{${admin.namespace}}:rollout:doomed`;
    const raw = redis.client();
    try {
      expect(await raw.exists(rolloutKey)).toBe(1);
      await api.delete(groupPath('doomed')).expect(200);
      expect(await raw.exists(rolloutKey)).toBe(0);
      expect(await raw.sismember(`{${admin.namespace}}:rollouts-running`, 'doomed')).toBe(0);
      await api.get(`${groupPath('doomed')}/rollouts/current?reveal=true`).expect(404);
    } finally {
      raw.disconnect();
    }
  });
});
