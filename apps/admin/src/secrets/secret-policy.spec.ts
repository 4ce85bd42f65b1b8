import type { AdminSettings } from '../settings/admin-settings';
import { SecretPolicy } from './secret-policy';

const policy = () => new SecretPolicy({ secretKeys: '*apikey*' } as unknown as AdminSettings);

describe('SecretPolicy.masked', () => {
  it('binds secret digests to the group, be it a group (name) or a rollout view (group)', () => {
    const secrets = policy();
    const config = { apikey: 'AIza-same-secret-0123456789' };
    const asGroup = secrets.masked({ name: 'team-a', config });
    const asRollout = secrets.masked({ group: 'team-a', config });
    const otherRollout = secrets.masked({ group: 'team-b', config });
    expect(asGroup.secretDigests?.apikey).toBeDefined();
    expect(asRollout.secretDigests).toEqual(asGroup.secretDigests);
    // Two groups' rollouts with the same secret used to show the same digest (no group bound).
    expect(otherRollout.secretDigests?.apikey).not.toBe(asRollout.secretDigests?.apikey);
    expect(asRollout.config.apikey).toBe('••••6789');
  });
});
