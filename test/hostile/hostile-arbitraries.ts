import fc from 'fast-check';

/** Keys that pollute a prototype when code merges or assigns JSON carelessly. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Characters that mean something to Redis, globs, URLs, logs, HTML or JSON. */
const SPECIAL_CHARACTERS = [
  '{',
  '}',
  '*',
  '?',
  '[',
  ']',
  '\n',
  '\r',
  '\t',
  '\u0000',
  '\u001b',
  '\u007f',
  '\u2028',
  ' ',
  '/',
  '\\',
  '%',
  '"',
  "'",
  '<',
  '>',
  '&',
  ':',
  '#',
  '.',
  '\ud800', // a lone surrogate: not encodable as UTF-8
  '\udfff',
  '配',
  'é',
  '\u0301', // a combining accent
  '💥',
  'a',
  'Z',
  '0',
  '-',
];

const specialString = fc
  .array(fc.constantFrom(...SPECIAL_CHARACTERS), { minLength: 1, maxLength: 12 })
  .map((parts) => parts.join(''));

/** Names an operator (or an attacker) might type: unicode, specials, sizes around the limit. */
export const hostileName: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 24 }),
  specialString,
  fc.constantFrom(
    ...PROTOTYPE_KEYS,
    'toString',
    'hasOwnProperty',
    'a{b}',
    '{tag}',
    '*',
    'apikey-*',
    'line\nbreak',
    '',
    ' ',
    'x'.repeat(128),
    'x'.repeat(129),
    '💥'.repeat(64),
    '💥'.repeat(65),
    '../../etc',
    '%2F%00',
  ),
);

/** Object keys for configs, prototype keys included. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }) },
  { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS, 'polluted', 'toString') },
  { weight: 1, arbitrary: specialString },
);

/** Prototype-pollution payloads, as JSON text (an object literal would not keep `__proto__`). */
export const POLLUTING_JSON = [
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"prototype":{"polluted":"yes"}}',
  '[{"__proto__":{"polluted":"yes"}}]',
] as const;

const valueJson: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }).map((value) => JSON.stringify(value)),
  fc.constantFrom(...POLLUTING_JSON),
  fc
    .string({ unit: fc.constantFrom(...SPECIAL_CHARACTERS), maxLength: 20 })
    .map((text) => JSON.stringify(text)),
);

/**
 * A JSON object of JSON values whose keys and strings are hostile, as the JSON text a client
 * sends: parsed, `__proto__` is an own key, exactly what a request body parser hands the server.
 */
export const hostileConfigJson: fc.Arbitrary<string> = fc
  .array(fc.tuple(hostileKey, valueJson), { maxLength: 6 })
  .map((pairs) => `{${pairs.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`);

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True for text that is not well-formed UTF-16 (and so has no UTF-8 encoding). */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** True when a key or a string anywhere in a JSON value is not well-formed UTF-16. */
export function jsonHasLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return hasLoneSurrogate(value);
  if (Array.isArray(value)) return value.some(jsonHasLoneSurrogate);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(
      ([key, item]) => hasLoneSurrogate(key) || jsonHasLoneSurrogate(item),
    );
  }
  return false;
}

/** True when an object below the top level of a JSON value has an own key `constructor`. */
export function hasNestedConstructorKey(value: unknown, level = 0): boolean {
  if (value === null || typeof value !== 'object') return false;
  const own = Object.prototype.hasOwnProperty.call(value, 'constructor');
  if (level > 0 && !Array.isArray(value) && own) return true;
  return Object.values(value).some((item) => hasNestedConstructorKey(item, level + 1));
}

/** What the admin must answer for a name, written down independently of the library's code. */
export function nameIsWritable(name: string): boolean {
  return (
    name.length >= 1 &&
    name.length <= 128 &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001f\u007f{}]/.test(name) &&
    name.trim() === name &&
    name !== '.' &&
    name !== '..' && // a URL path segment cannot name them
    !hasLoneSurrogate(name)
  );
}
