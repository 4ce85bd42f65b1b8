import { resolveMetricsSettings } from './metrics.settings';

describe('resolveMetricsSettings', () => {
  it('leaves /metrics open without METRICS_TOKEN', () => {
    expect(resolveMetricsSettings({})).toEqual({ token: null });
    expect(resolveMetricsSettings({ METRICS_TOKEN: '' })).toEqual({ token: null });
  });

  it('takes a token', () => {
    const token = 'scrape-me-0123456789';
    expect(resolveMetricsSettings({ METRICS_TOKEN: token })).toEqual({ token });
  });

  it('refuses an unusable token naming the variable, not the value', () => {
    expect(() => resolveMetricsSettings({ METRICS_TOKEN: 'has space' })).toThrow(
      /^METRICS_TOKEN: a token must be 16-512/,
    );
    expect(() => resolveMetricsSettings({ METRICS_TOKEN: 'short' })).toThrow(/16-512/);
    expect(() => resolveMetricsSettings({ METRICS_TOKEN: 'has space' })).not.toThrow(/has space/);
  });
});
