/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), for tests: every line
 * must be a HELP, a TYPE, a comment or a sample of a declared family; anything else throws with the
 * line number. Histograms are checked too (an `le` per bucket, cumulative counts, `+Inf` = count).
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  /** The sample's own name (`x_bucket`, `x_sum`, … for a histogram). */
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help: string;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const METRIC_NAME = new RegExp(`^${NAME}$`);
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES: readonly string[] = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];

export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const seen = new Set<string>();
  let current: MetricFamily | null = null;
  if (text !== '' && !text.endsWith('\n'))
    throw new Error('the exposition must end with a newline');
  text.split('\n').forEach((line, index) => {
    const fail = (why: string): never => {
      throw new Error(`line ${index + 1}: ${why}: ${JSON.stringify(line)}`);
    };
    if (line === '') return;
    if (line.startsWith('#')) {
      const match = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!match) return; // a plain comment
      const [, keyword, name, rest] = match;
      if (!METRIC_NAME.test(name)) fail('bad metric name');
      let family = families.get(name);
      if (!family) {
        if (current && current.name !== name) seen.add(current.name);
        if (seen.has(name)) fail('family declared twice');
        family = { name, type: 'untyped', help: '', samples: [] };
        families.set(name, family);
      } else if (family.samples.length > 0) {
        fail(`${keyword} after the samples of its family`);
      }
      current = family;
      if (keyword === 'TYPE') {
        if (!TYPES.includes(rest)) fail('unknown type');
        family.type = rest as MetricType;
      } else {
        family.help = unescape(rest, false, fail);
      }
      return;
    }
    const sample = parseSample(line, fail);
    const family = current as MetricFamily | null;
    if (!family || !belongsTo(sample.name, family)) fail('sample outside its declared family');
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (
      family!.samples.some(
        (s) => `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}` === key,
      )
    )
      fail('duplicate series');
    family!.samples.push(sample);
  });
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

function belongsTo(sample: string, family: MetricFamily): boolean {
  if (family.type === 'histogram')
    return ['_bucket', '_sum', '_count'].some((suffix) => sample === family.name + suffix);
  if (family.type === 'summary')
    return sample === family.name || ['_sum', '_count'].some((s) => sample === family.name + s);
  return sample === family.name;
}

function parseSample(line: string, fail: (why: string) => never): Sample {
  const head = new RegExp(`^(${NAME})`).exec(line);
  if (!head) fail('not a sample');
  const name = head![1];
  let at = name.length;
  const labels: Record<string, string> = {};
  if (line[at] === '{') {
    at += 1;
    while (line[at] !== '}') {
      const labelMatch = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(at));
      if (!labelMatch || !LABEL_NAME.test(labelMatch[1])) fail('bad label');
      at += labelMatch![0].length;
      let raw = '';
      while (line[at] !== '"') {
        if (at >= line.length) fail('unterminated label value');
        if (line[at] === '\\') {
          raw += line.slice(at, at + 2);
          at += 2;
        } else raw += line[at++];
      }
      at += 1;
      if (Object.hasOwn(labels, labelMatch![1])) fail('label repeated');
      labels[labelMatch![1]] = unescape(raw, true, fail);
      if (line[at] === ',') at += 1;
      else if (line[at] !== '}') fail('expected "," or "}" after a label');
    }
    at += 1;
  }
  const rest = /^ (\S+)(?: (-?\d+))?$/.exec(line.slice(at));
  if (!rest) fail('expected " value [timestamp]"');
  return { name, labels, value: parseValue(rest![1], fail) };
}

/** A value as Go's `strconv.ParseFloat` reads it (what Prometheus uses): `Inf`/`NaN` in any case. */
function parseValue(raw: string, fail: (why: string) => never): number {
  if (/^\+?inf(inity)?$/i.test(raw)) return Infinity;
  if (/^-inf(inity)?$/i.test(raw)) return -Infinity;
  if (/^nan$/i.test(raw)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw)) fail('bad value');
  return Number(raw);
}

function unescape(raw: string, quoted: boolean, fail: (why: string) => never): string {
  return raw.replace(/\\(.?)/g, (_, next: string) => {
    if (next === 'n') return '\n';
    if (next === '\\') return '\\';
    if (next === '"' && quoted) return '"';
    return fail(`bad escape \\${next}`);
  });
}

function checkHistogram(family: MetricFamily): void {
  const series = new Map<string, { buckets: [number, number][]; count?: number }>();
  const keyOf = (labels: Record<string, string>) =>
    JSON.stringify(
      Object.entries(labels)
        .filter(([name]) => name !== 'le')
        .sort(),
    );
  for (const sample of family.samples) {
    const entry = series.get(keyOf(sample.labels)) ?? { buckets: [] };
    series.set(keyOf(sample.labels), entry);
    if (sample.name.endsWith('_bucket')) {
      if (sample.labels.le === undefined) throw new Error(`${family.name}: a bucket without "le"`);
      entry.buckets.push([
        parseValue(sample.labels.le, (why) => {
          throw new Error(`${family.name}: ${why}`);
        }),
        sample.value,
      ]);
    } else if (sample.name.endsWith('_count')) entry.count = sample.value;
  }
  for (const [key, { buckets, count }] of series) {
    const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
    if (sorted.at(-1)?.[0] !== Infinity) throw new Error(`${family.name}${key}: no +Inf bucket`);
    sorted.forEach(([, value], i) => {
      if (i > 0 && value < sorted[i - 1][1])
        throw new Error(`${family.name}${key}: buckets are not cumulative`);
    });
    if (count !== sorted.at(-1)![1]) throw new Error(`${family.name}${key}: +Inf bucket ≠ _count`);
  }
}

/** The value of the one sample of `family` whose labels include `labels`; throws if not exactly one. */
export function sampleValue(
  families: Map<string, MetricFamily>,
  sampleName: string,
  labels: Record<string, string> = {},
): number {
  const familyName = sampleName.replace(/_(bucket|sum|count)$/, '');
  const family = families.get(sampleName) ?? families.get(familyName);
  if (!family) throw new Error(`no family ${sampleName}`);
  const matching = family.samples.filter(
    (s) => s.name === sampleName && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (matching.length !== 1)
    throw new Error(`${matching.length} samples of ${sampleName} ${JSON.stringify(labels)}`);
  return matching[0].value;
}
