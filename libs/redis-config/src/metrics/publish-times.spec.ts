import { PublishTimes } from './publish-times';
import type { GroupVersionEvent } from '../wire/namespace-event';

const event = (version: number | null, publishedAtMs?: number): GroupVersionEvent => ({
  type: 'published',
  group: 'g',
  version,
  inline: null,
  ...(publishedAtMs === undefined ? {} : { publishedAtMs }),
});
const group = (version: number) => ({ name: 'g', version, config: {} });

describe('PublishTimes', () => {
  it('gives the seconds from the publish to the apply, once per version', () => {
    const times = new PublishTimes();
    times.heard(event(3, 10_000));
    expect(times.appliedAfter(group(3), 10_250)).toBe(0.25);
    expect(times.appliedAfter(group(3), 10_500)).toBeNull();
  });

  it('knows nothing of a version whose event carried no time, or no version', () => {
    const times = new PublishTimes();
    times.heard(event(3));
    times.heard(event(null, 10_000));
    expect(times.appliedAfter(group(3), 11_000)).toBeNull();
  });

  it('never goes negative when the node clock is behind Redis', () => {
    const times = new PublishTimes();
    times.heard(event(1, 10_000));
    expect(times.appliedAfter(group(1), 9_000)).toBe(0);
  });

  it('keeps only the latest versions heard', () => {
    const times = new PublishTimes();
    for (let version = 0; version < 40; version++) times.heard(event(version, version));
    expect(times.appliedAfter(group(0), 100)).toBeNull();
    expect(times.appliedAfter(group(39), 1039)).toBe(1);
  });
});
