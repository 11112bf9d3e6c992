import { describe, expect, it } from 'vitest';
import { mintBrowserToken, verifyBrowserToken } from './tokens';

const secret = 'a-test-secret-of-enough-length';

describe('browser tokens', () => {
  it('round-trips the session and user', () => {
    const token = mintBrowserToken(secret, { sessionId: 's1', userId: 'u1' });
    const verified = verifyBrowserToken(secret, token);
    expect(verified.ok && verified.token).toMatchObject({ sessionId: 's1', userId: 'u1' });
  });

  it('is read-write unless minted read-only, and the claim cannot be added without the secret', () => {
    const plain = verifyBrowserToken(secret, mintBrowserToken(secret, { sessionId: 's1', userId: 'u1' }));
    expect(plain.ok && plain.token.readOnly).toBe(false);
    const readOnly = verifyBrowserToken(
      secret,
      mintBrowserToken(secret, { sessionId: 's1', userId: 'u1', readOnly: true }),
    );
    expect(readOnly.ok && readOnly.token.readOnly).toBe(true);

    const token = mintBrowserToken(secret, { sessionId: 's1', userId: 'u1', readOnly: true });
    const [payload, signature] = token.split('.') as [string, string];
    const { ro: _dropped, ...writable } = JSON.parse(Buffer.from(payload, 'base64url').toString()) as {
      ro?: boolean;
    };
    const stripped = Buffer.from(JSON.stringify(writable)).toString('base64url');
    expect(verifyBrowserToken(secret, `${stripped}.${signature}`)).toEqual({
      ok: false,
      problem: 'bad-signature',
    });
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
});
