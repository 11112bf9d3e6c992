/** Single-use browser tokens: the terminal refuses a token whose nonce it has seen before. */
/** Remembers used nonces until their token expires. */
export class NonceRegistry {
  private readonly used = new Map<string, number>();

  /** True the first time a nonce is seen. */
  claim(nonce: string, expiresAt: number, now = Date.now()): boolean {
    for (const [key, expiry] of this.used) if (expiry <= now) this.used.delete(key);
    if (this.used.has(nonce)) return false;
    this.used.set(nonce, expiresAt);
    return true;
  }
}
