import { createHmac } from 'node:crypto';
import { webhookSignature } from './webhook-signature';

describe('webhookSignature', () => {
  it('is HMAC-SHA256 of "timestamp.body" in hex, prefixed sha256=', () => {
    const body = '{"type":"published"}';
    const expected = createHmac('sha256', 'secret-of-16-chars!')
      .update(`1700000000.${body}`)
      .digest('hex');
    expect(webhookSignature('secret-of-16-chars!', 1700000000, body)).toBe(`sha256=${expected}`);
  });

  it('changes with the timestamp (a replay with a new timestamp does not verify)', () => {
    const body = '{}';
    expect(webhookSignature('k'.repeat(16), 1, body)).not.toBe(
      webhookSignature('k'.repeat(16), 2, body),
    );
  });
});
