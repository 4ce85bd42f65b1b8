import { resolveMetricsSettings } from './metrics.settings';

describe('resolveMetricsSettings', () => {
  it('leaves /metrics open without METRICS_TOKEN', () => {
    expect(resolveMetricsSettings({})).toEqual({ token: null });
    expect(resolveMetricsSettings({ METRICS_TOKEN: '' })).toEqual({ token: null });
  });

  it('takes a token', () => {
    expect(resolveMetricsSettings({ METRICS_TOKEN: 'scrape-me' })).toEqual({ token: 'scrape-me' });
  });

  it('refuses an unusable token naming the variable, not the value', () => {
    expect(() => resolveMetricsSettings({ METRICS_TOKEN: 'has space' })).toThrow(
      /^METRICS_TOKEN must be/,
    );
    expect(() => resolveMetricsSettings({ METRICS_TOKEN: 'has space' })).not.toThrow(/has space/);
  });
});
