import { parsePrometheusText, sampleValue } from './prometheus-text';

describe('parsePrometheusText (test helper)', () => {
  const page = [
    '# HELP up_total Things, with a \\\\ and a \\n.',
    '# TYPE up_total counter',
    'up_total{kind="a\\"b"} 3',
    'up_total{kind="c",zone="z"} 1.5e3 1700000000000',
    '# TYPE lat histogram',
    'lat_bucket{le="0.1"} 1',
    'lat_bucket{le="+Inf"} 2',
    'lat_sum 0.3',
    'lat_count 2',
    '# TYPE lag gauge',
    'lag Nan',
    '',
  ].join('\n');

  it('reads families, labels with escapes, values and histograms', () => {
    const families = parsePrometheusText(page);
    expect(families.get('up_total')).toMatchObject({
      type: 'counter',
      help: 'Things, with a \\ and a \n.',
    });
    expect(sampleValue(families, 'up_total', { kind: 'a"b' })).toBe(3);
    expect(sampleValue(families, 'up_total', { zone: 'z' })).toBe(1500);
    expect(sampleValue(families, 'lat_count')).toBe(2);
    expect(sampleValue(families, 'lat_bucket', { le: '+Inf' })).toBe(2);
    expect(sampleValue(families, 'lag')).toBeNaN(); // ParseFloat's spelling, as prom-client writes it
  });

  it.each([
    ['a sample of no declared family', '# TYPE a counter\nb 1\n'],
    ['a malformed label', '# TYPE a counter\na{x=1} 1\n'],
    ['a bad value', '# TYPE a gauge\na one\n'],
    ['a duplicate series', '# TYPE a gauge\na 1\na 2\n'],
    ['a family declared twice', '# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\n# TYPE a gauge\n'],
    [
      'a histogram whose +Inf bucket is not its count',
      '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_count 3\n',
    ],
    [
      'non-cumulative buckets',
      '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_count 1\n',
    ],
    ['a missing final newline', '# TYPE a gauge\na 1'],
    ['an HTML page', '<html>metrics</html>\n'],
  ])('refuses %s', (_, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
