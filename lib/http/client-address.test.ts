import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { addressOfIncoming, clientAddress, clientAddressHeader } from './client-address';

const incoming = (headers: Record<string, string | string[]>, remoteAddress = '10.0.0.9') =>
  ({ headers, socket: { remoteAddress } }) as unknown as IncomingMessage;

describe('addressOfIncoming', () => {
  it('uses the socket address and ignores X-Forwarded-For when no proxy is trusted', () => {
    expect(addressOfIncoming(incoming({ 'x-forwarded-for': '1.2.3.4' }), false)).toBe('10.0.0.9');
  });

  it("behind a trusted proxy, takes the address the proxy appended, not the client's claim", () => {
    expect(addressOfIncoming(incoming({ 'x-forwarded-for': '6.6.6.6, 203.0.113.7' }), true)).toBe(
      '203.0.113.7',
    );
    expect(addressOfIncoming(incoming({ 'x-forwarded-for': ['6.6.6.6', '203.0.113.8 '] }), true)).toBe(
      '203.0.113.8',
    );
    expect(addressOfIncoming(incoming({}), true)).toBe('10.0.0.9');
  });
});

describe('clientAddress', () => {
  it('reads what the web server recorded, or says it does not know', () => {
    const recorded = new Request('http://x/', { headers: { [clientAddressHeader]: '10.1.2.3' } });
    expect(clientAddress(recorded)).toBe('10.1.2.3');
    expect(clientAddress(new Request('http://x/'))).toBe('unknown');
  });
});
