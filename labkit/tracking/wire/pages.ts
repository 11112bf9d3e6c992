/**
 * MLflow's paged replies: a list and a `next_page_token` to send back for the rest. One loop
 * follows the tokens for every client, with a page cap so a server that never stops sending
 * tokens cannot keep a client fetching forever.
 */

/** Pages followed before stopping when the caller sets no cap. */
export const defaultMaxPages = 100;

export type PageLimits = {
  /** Stop after this many pages (default `defaultMaxPages`). */
  maxPages?: number;
  /** Stop once this many items have arrived; no more than that are returned. */
  maxItems?: number;
};

type PagedReply<Key extends string, Item> = { [key in Key]: Item[] } & { next_page_token?: string };

/**
 * Fetches pages until the server sends no `next_page_token` or a limit is reached. `fetchPage`
 * gets the token to send (none for the first page) and how many items have arrived so far;
 * `more` says whether the server had items left when the loop stopped.
 */
export async function followPageTokens<Key extends string, Item>(
  listKey: Key,
  fetchPage: (pageToken: string | undefined, collected: number) => Promise<PagedReply<Key, Item>>,
  { maxPages = defaultMaxPages, maxItems = Infinity }: PageLimits = {},
): Promise<{ items: Item[]; more: boolean }> {
  const items: Item[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const reply = await fetchPage(pageToken, items.length);
    items.push(...reply[listKey]);
    // An empty token is how some servers say "last page".
    pageToken = reply.next_page_token || undefined;
    if (!pageToken || items.length >= maxItems) break;
  }
  return { items: items.slice(0, maxItems), more: pageToken !== undefined || items.length > maxItems };
}
