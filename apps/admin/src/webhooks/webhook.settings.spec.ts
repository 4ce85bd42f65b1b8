import { resolveWebhookSettings } from './webhook.settings';

describe('resolveWebhookSettings', () => {
  it('has no webhooks by default', () => {
    expect(resolveWebhookSettings({})).toEqual({
      urls: [],
      secret: null,
      maxAttempts: 8,
      retryBaseMs: 1000,
      timeoutMs: 5000,
      logLimit: 200,
    });
  });

  it('takes comma-separated http and https URLs and a secret', () => {
    const settings = resolveWebhookSettings({
      RCC_WEBHOOKS: ' http://127.0.0.1:9000/hook , https://hooks.example.com/x?y=1,',
      RCC_WEBHOOK_SECRET: 'a-secret-of-16-chars',
      RCC_WEBHOOK_MAX_ATTEMPTS: '3',
    });
    expect(settings.urls).toEqual([
      'http://127.0.0.1:9000/hook',
      'https://hooks.example.com/x?y=1',
    ]);
    expect(settings.secret).toBe('a-secret-of-16-chars');
    expect(settings.maxAttempts).toBe(3);
  });

  it.each(['ftp://example.com/x', 'example.com/hook', 'javascript:alert(1)', 'http://'])(
    'refuses %s naming RCC_WEBHOOKS and the entry, not the URL',
    (url) => {
      const attempt = () => resolveWebhookSettings({ RCC_WEBHOOKS: `http://ok.example/,${url}` });
      expect(attempt).toThrow('RCC_WEBHOOKS: entry 2 is not an http:// or https:// URL');
    },
  );

  it('refuses a short secret without repeating it', () => {
    const attempt = () => resolveWebhookSettings({ RCC_WEBHOOK_SECRET: 'short-secret' });
    expect(attempt).toThrow(/^RCC_WEBHOOK_SECRET must be at least 16 characters$/);
  });

  it('checks the numbers, naming the variable', () => {
    expect(() => resolveWebhookSettings({ RCC_WEBHOOK_RETRY_MS: '5' })).toThrow(
      /^RCC_WEBHOOK_RETRY_MS must be an integer/,
    );
  });
});
