import { isConnectionLoss } from './connection-loss';

describe('isConnectionLoss', () => {
  it.each([
    new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    new Error('Connection is closed.'),
    Object.assign(new Error('Reached the max retries per request limit'), {
      name: 'MaxRetriesPerRequestError',
    }),
    Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
  ])('tells a lost connection: %s', (error) => {
    expect(isConnectionLoss(error)).toBe(true);
  });

  it.each([
    new Error('ERR wrong number of arguments'),
    new Error('Connection is closed. Then something else'),
    Object.assign(new Error('no such file'), { code: 'ENOENT' }),
    'Connection is closed.',
    null,
  ])('is not fooled by another error: %s', (error) => {
    expect(isConnectionLoss(error)).toBe(false);
  });
});
