import { describe, expect, it } from 'vitest';
import { mintBrowserToken, NonceRegistry, verifyBrowserToken } from './tokens';

const secret = 'a-test-secret-of-enough-length';

describe('browser tokens', () => {
  it('round-trips the session and user', () => {
    const token = mintBrowserToken(secret, { sessionId: 's1', userId: 'u1' });
    const verified = verifyBrowserToken(secret, token);
    expect(verified.ok && verified.token).toMatchObject({ sessionId: 's1', userId: 'u1' });
  });

  it('rejects an expired token', () => {
    const token = mintBrowserToken(
      secret,
      { sessionId: 's1', userId: 'u1', ttlSeconds: 60 },
      Date.now() - 120_000,
    );
    expect(verifyBrowserToken(secret, token)).toEqual({ ok: false, problem: 'expired' });
  });

  it('rejects a tampered payload and a token signed with another secret', () => {
    const token = mintBrowserToken(secret, { sessionId: 's1', userId: 'u1' });
    const [payload, signature] = token.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), u: 'admin' }),
    ).toString('base64url');
    expect(verifyBrowserToken(secret, `${forged}.${signature}`)).toEqual({
      ok: false,
      problem: 'bad-signature',
    });
    expect(verifyBrowserToken('another-secret-of-enough-length', token)).toEqual({
      ok: false,
      problem: 'bad-signature',
    });
  });

  it('rejects garbage', () => {
    for (const garbage of ['', 'abc', 'a.b.c', '.', 'x.']) {
      expect(verifyBrowserToken(secret, garbage).ok).toBe(false);
    }
  });

  it('lets a nonce be claimed once', () => {
    const nonces = new NonceRegistry();
    expect(nonces.claim('n1', Date.now() + 1000)).toBe(true);
    expect(nonces.claim('n1', Date.now() + 1000)).toBe(false);
    expect(nonces.claim('n2', Date.now() + 1000)).toBe(true);
  });
});
