import { describe, expect, it } from 'vitest';
import { NonceRegistry } from './nonces';

describe('NonceRegistry', () => {
  it('lets a nonce be claimed once', () => {
    const nonces = new NonceRegistry();
    expect(nonces.claim('n1', Date.now() + 1000)).toBe(true);
    expect(nonces.claim('n1', Date.now() + 1000)).toBe(false);
    expect(nonces.claim('n2', Date.now() + 1000)).toBe(true);
  });

  it('forgets a nonce once its token has expired', () => {
    const nonces = new NonceRegistry();
    expect(nonces.claim('n1', 2_000, 1_000)).toBe(true);
    expect(nonces.claim('n1', 4_000, 3_000)).toBe(true);
  });
});
