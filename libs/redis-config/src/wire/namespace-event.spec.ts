import { createHash } from 'node:crypto';
import {
  GroupVersionEvent,
  NamespaceEvent,
  parseNamespaceEvent,
  recordStandingIn,
} from './namespace-event';

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const RECORD = '{"group_name":"g","group_version":3,"config_dict":{"record":1,"k":"v"}}';
/** A message as the publish script builds it (CHANGE_EVENT_LUA). */
const carrying = (record: string, digest = sha1(record)) =>
  `{"type":"published","group":"g","version":3,"digest":"${digest}","record":${record}}`;

describe('parseNamespaceEvent', () => {
  it('reads a published event without a record (a large group) as one to read back', () => {
    expect(parseNamespaceEvent('{"type":"published","group":"g","version":3}')).toEqual({
      type: 'published',
      group: 'g',
      version: 3,
      inline: null,
    });
    expect(parseNamespaceEvent('{"type":"rollback","group":"g","version":0}')).toMatchObject({
      type: 'rollback',
      version: 0,
      inline: null,
    });
  });

  it('carries the publish time (Redis ms) when the writer sent one, for the node metrics', () => {
    const message = `{"type":"published","group":"g","version":3,"publishedAtMs":1767225600123,"digest":"${sha1(RECORD)}","record":${RECORD}}`;
    expect(parseNamespaceEvent(message)).toMatchObject({
      publishedAtMs: 1767225600123,
      inline: { text: RECORD },
    });
    expect(
      parseNamespaceEvent('{"type":"published","group":"g","version":3,"publishedAtMs":"soon"}'),
    ).not.toHaveProperty('publishedAtMs');
  });

  it('keeps a carried record parsed, with its text as sent and its digest', () => {
    expect(parseNamespaceEvent(carrying(RECORD))).toEqual({
      type: 'published',
      group: 'g',
      version: 3,
      inline: {
        digest: sha1(RECORD),
        value: { group_name: 'g', group_version: 3, config_dict: { record: 1, k: 'v' } },
        text: RECORD,
      },
    });
  });

  it('carries no record without a well-formed digest, or without a record', () => {
    const record = (digest: unknown) =>
      JSON.stringify({ type: 'published', group: 'g', version: 3, digest, record: {} });
    for (const digest of [sha1('x').toUpperCase(), 'abc', 42, null, `${sha1('x')}0`]) {
      expect(parseNamespaceEvent(record(digest))).toMatchObject({ version: 3, inline: null });
    }
    const noRecord = JSON.stringify({
      type: 'published',
      group: 'g',
      version: 3,
      digest: sha1(''),
    });
    expect(parseNamespaceEvent(noRecord)).toMatchObject({ inline: null });
  });

  it('reads an unusable version as none (the node then reads the group again)', () => {
    for (const version of ['"3"', '-1', '1.5', 'null', '1e400', '9007199254740993']) {
      const message = `{"type":"published","group":"g","version":${version}}`;
      expect(parseNamespaceEvent(message)).toMatchObject({ version: null });
    }
    expect(parseNamespaceEvent('{"type":"published","group":"g"}')).toMatchObject({
      version: null,
    });
  });

  it('reads deletions and released places', () => {
    expect(parseNamespaceEvent('{"type":"deleted","group":"g"}')).toEqual({
      type: 'deleted',
      group: 'g',
    });
    expect(parseNamespaceEvent('{"type":"released","group":"__proto__"}')).toEqual({
      type: 'released',
      group: '__proto__',
    });
  });

  it('reads the messages our scripts send: "v" first, constant-size control and places messages', () => {
    const message = `{"v":2,${carrying(RECORD).slice(1)}`;
    expect(parseNamespaceEvent(message)).toMatchObject({
      type: 'published',
      version: 3,
      inline: { text: RECORD },
    });
    expect(parseNamespaceEvent('{"v":2,"type":"released","group":"g"}')).toEqual({
      type: 'released',
      group: 'g',
    });
    expect(parseNamespaceEvent('{"v":2,"type":"created","group":"g"}')).toEqual({
      type: 'created',
      group: 'g',
    });
    expect(parseNamespaceEvent('{"v":2,"type":"rebalance","group":"g"}')).toEqual({
      type: 'rebalance',
      group: 'g',
    });
    // A later protocol keeps these shapes: read as well.
    expect(parseNamespaceEvent('{"v":3,"type":"deleted","group":"g"}')).toEqual({
      type: 'deleted',
      group: 'g',
    });
  });

  it('refuses a protocol version that is not ours, and an empty group name', () => {
    for (const message of [
      '{"v":1,"type":"deleted","group":"g"}',
      '{"v":"2","type":"deleted","group":"g"}',
      '{"v":2.5,"type":"deleted","group":"g"}',
      '{"v":2,"type":"created","group":""}',
    ]) {
      expect(parseNamespaceEvent(message)).toBeNull();
    }
  });

  it('ignores what is not one of our events', () => {
    for (const message of [
      'not json',
      '',
      'null',
      '[]',
      '"published"',
      '{"type":"released"}',
      '{"type":"other","group":"a"}',
      '{"type":"published","group":7,"version":1}',
      carrying(RECORD).slice(0, -1), // cut short
    ]) {
      expect(parseNamespaceEvent(message)).toBeNull();
    }
  });
});

const versionEvent = (message: string): GroupVersionEvent => {
  const event: NamespaceEvent | null = parseNamespaceEvent(message);
  if (event?.type !== 'published' && event?.type !== 'rollback') throw new Error(message);
  return event;
};
const held = { name: 'g', version: 2 };

describe('recordStandingIn', () => {
  it('lets the carried record of a newer version of the held group stand for reading it back', () => {
    const event = versionEvent(carrying(RECORD));
    expect(recordStandingIn(event, held)).toBe(event.inline);
    expect(recordStandingIn(event, { name: 'g', version: 0 })).toBe(event.inline);
  });

  it('reads back a version not newer than the one held (stale, replayed, re-created at 0)', () => {
    const event = versionEvent(carrying(RECORD));
    expect(recordStandingIn(event, { name: 'g', version: 3 })).toBeNull();
    expect(recordStandingIn(event, { name: 'g', version: 7 })).toBeNull();
  });

  it('reads back another group, no group held, or an event without a record or version', () => {
    expect(recordStandingIn(versionEvent(carrying(RECORD)), { name: 'h', version: 0 })).toBeNull();
    expect(recordStandingIn(versionEvent(carrying(RECORD)), null)).toBeNull();
    expect(
      recordStandingIn(versionEvent('{"type":"published","group":"g","version":3}'), held),
    ).toBeNull();
    const noVersion = carrying(RECORD).replace('"version":3', '"version":"3"');
    expect(recordStandingIn(versionEvent(noVersion), held)).toBeNull();
  });

  it('reads back a record that does not hash to its digest, or does not match its event', () => {
    expect(recordStandingIn(versionEvent(carrying(RECORD, sha1('other'))), held)).toBeNull();
    // Members in another order: the text after "record" is not the record alone.
    const reordered = `{"type":"published","group":"g","record":${RECORD},"version":3,"digest":"${sha1(RECORD)}"}`;
    expect(recordStandingIn(versionEvent(reordered), held)).toBeNull();
    for (const record of [
      RECORD.replace('"group_version":3', '"group_version":4'),
      RECORD.replace('"group_name":"g"', '"group_name":"h"'),
      '"not an object"',
      '[1,2]',
      'null',
    ]) {
      expect(recordStandingIn(versionEvent(carrying(record)), held)).toBeNull();
    }
  });

  it('leaves the shape of the config to the node (a bad one is refused, as if read back)', () => {
    const record = '{"group_name":"g","group_version":3,"config_dict":"apikey=1"}';
    const event = versionEvent(carrying(record));
    expect(recordStandingIn(event, held)).toBe(event.inline);
  });
});
