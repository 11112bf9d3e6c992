import { describe, expect, it } from 'vitest';
import { followPageTokens } from './pages';

/** A server with `total` numbered items, `size` a page, whose tokens are offsets. */
function pagedServer(total: number, size: number) {
  const calls: { pageToken: string | undefined; collected: number }[] = [];
  const fetchPage = async (pageToken: string | undefined, collected: number) => {
    calls.push({ pageToken, collected });
    const offset = Number(pageToken ?? 0);
    const items = Array.from({ length: Math.max(0, Math.min(size, total - offset)) }, (_, i) => offset + i);
    const next = offset + size;
    return next < total ? { items, next_page_token: String(next) } : { items };
  };
  return { calls, fetchPage };
}

describe('followPageTokens', () => {
  it('follows next_page_token until the last page, sending each token back', async () => {
    const server = pagedServer(7, 3);
    await expect(followPageTokens('items', server.fetchPage)).resolves.toEqual({
      items: [0, 1, 2, 3, 4, 5, 6],
      more: false,
    });
    expect(server.calls).toEqual([
      { pageToken: undefined, collected: 0 },
      { pageToken: '3', collected: 3 },
      { pageToken: '6', collected: 6 },
    ]);
  });

  it('stops at maxItems, returning no more than that and saying there were more', async () => {
    const server = pagedServer(10, 4);
    await expect(followPageTokens('items', server.fetchPage, { maxItems: 6 })).resolves.toEqual({
      items: [0, 1, 2, 3, 4, 5],
      more: true,
    });
    expect(server.calls).toHaveLength(2);
  });

  it('stops after maxPages even when the server keeps sending tokens', async () => {
    let calls = 0;
    const endless = async () => ({ runs: [calls++], next_page_token: 'again' });
    await expect(followPageTokens('runs', endless, { maxPages: 3 })).resolves.toEqual({
      items: [0, 1, 2],
      more: true,
    });
  });

  it('takes an empty token as the last page', async () => {
    const reply = async () => ({ files: ['a'], next_page_token: '' });
    await expect(followPageTokens('files', reply)).resolves.toEqual({ items: ['a'], more: false });
  });
});
