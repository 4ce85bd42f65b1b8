import { validateAdminEnvironment } from './admin-environment';

describe('validateAdminEnvironment (ConfigModule validate)', () => {
  it('types its variables, defaults blank ones, and keeps every other variable', () => {
    const environment = validateAdminEnvironment({
      ADMIN_PORT: ' ',
      ADMIN_TOKEN: '',
      ADMIN_BODY_LIMIT: '4096',
      ADMIN_MICROSERVICE: 'OFF',
      LOG_FORMAT: 'Text',
      REDIS_URL: 'redis://cache:6380',
    });
    expect(environment).toMatchObject({
      ADMIN_PORT: 8079,
      ADMIN_BODY_LIMIT: 4096,
      ADMIN_WRITE_RATE_LIMIT: 300,
      ADMIN_MICROSERVICE: false,
      LOG_FORMAT: 'text',
      // The library's variables pass through: ConfigModule puts those of `.env` in process.env.
      REDIS_URL: 'redis://cache:6380',
    });
    expect(environment.ADMIN_TOKEN).toBeUndefined();
  });

  it('lists every bad variable in one message', () => {
    expect(() => validateAdminEnvironment({ ADMIN_PORT: '-1', LOG_FORMAT: 'xml' })).toThrow(
      'ADMIN_PORT must be an integer from 0 to 65535, got "-1"; ' +
        'LOG_FORMAT must be "json" or "text", got "xml"',
    );
  });

  it('names a bad token in ADMIN_TOKENS without repeating it', () => {
    expect(() => validateAdminEnvironment({ ADMIN_TOKENS: 'ci:bad token' })).toThrow(
      /^ADMIN_TOKENS \("ci"\): a token must be 16-512 visible ASCII characters, no "," or space$/,
    );
  });
});
