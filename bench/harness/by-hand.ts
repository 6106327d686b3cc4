// The Open Interface handshake done by hand (for the bare ws client and the do-it-yourself flow):
// log in, POST one subscription per producer, and build the subscriptionRedirect frames. This is what
// the package's client does internally for "ours".

export interface HandSubscription {
  /** The WebSocket URL every subscription response named. */
  endpoint: string;
  /** One subscriptionRedirect per producer, as JSON text. */
  redirects: string[];
}

async function call(url: string, init: RequestInit = {}): Promise<Record<string, string>> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${new URL(url).pathname}: HTTP ${res.status}`);
  return JSON.parse(text) as Record<string, string>;
}

export async function subscribeByHand(
  restUrl: string,
  username: string,
  password: string,
  producers: string[],
): Promise<HandSubscription> {
  const q = new URLSearchParams({ tenant: '0', username, password });
  const token = (await call(`${restUrl}/users/login?${q.toString()}`)).authdata!;
  const sources = (await call(`${restUrl}/sources`)) as unknown as Array<{ sourceId: string }>;
  const sourceId = sources[0]!.sourceId;
  const redirects: string[] = [];
  let endpoint = '';
  for (const producerId of producers) {
    const response = await call(
      `${restUrl}/sources/${encodeURIComponent(sourceId)}/producers/${encodeURIComponent(producerId)}/subscriptions`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          sourceId,
          producerId,
          streamType: 'SoD',
          transport: 'websocket',
          tenantId: '0',
          username,
          dimensionFilters: [],
          measureFilters: [],
        }),
      },
    );
    endpoint = response.endpoint!;
    redirects.push(JSON.stringify({ ...response, authorization: token, eventName: 'subscriptionRedirect' }));
  }
  return { endpoint, redirects };
}
