import { canonicalJson, parseConfigText } from './json-text';

describe('console JSON helpers', () => {
  it('accepts only a JSON object as a config, naming what else it got', () => {
    expect(parseConfigText('{"a": [1, {"b": null}]}')).toEqual({
      ok: true,
      config: { a: [1, { b: null }] },
    });
    expect(parseConfigText('[1]')).toEqual({ ok: false, reason: 'not-object', kind: 'an array' });
    expect(parseConfigText('null')).toEqual({ ok: false, reason: 'not-object', kind: 'null' });
    expect(parseConfigText('"text"')).toEqual({ ok: false, reason: 'not-object', kind: 'string' });
    expect(parseConfigText('{"a": ')).toMatchObject({ ok: false, reason: 'syntax' });
  });

  it('sorts keys at every depth, so a reordering is no difference', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 3 } })).toBe(
      canonicalJson({ a: { c: 3, d: [{ y: 2, z: 1 }] }, b: 1 }),
    );
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{\n  "a": 2,\n  "b": 1\n}');
  });
});
