/** Built-in prototypes a polluting write would change. */
const PROTOTYPES: [string, object][] = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
];

/**
 * Every own key of the built-in prototypes with the type of its value: taken before a run and
 * compared after it, it shows a property added, removed or replaced by anything in the process.
 */
export function prototypeFingerprint(): string {
  return PROTOTYPES.map(([label, prototype]) => {
    const keys = Reflect.ownKeys(prototype).map((key) => {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
      const kind = descriptor && 'value' in descriptor ? typeof descriptor.value : 'accessor';
      return `${String(key)}:${kind}`;
    });
    return `${label}{${keys.sort().join(',')}}`;
  }).join('\n');
}

/** True when nothing polluted the built-ins: `({}).polluted` is undefined and no key changed. */
export function prototypesIntact(before: string): boolean {
  const probe: Record<string, unknown> = {};
  const array: unknown[] = [];
  return (
    probe.polluted === undefined &&
    (array as unknown as Record<string, unknown>).polluted === undefined &&
    Object.getPrototypeOf(probe) === Object.prototype &&
    prototypeFingerprint() === before
  );
}
