// msg.action "reconfigure": what a flow may change on a running server node (e.g. a password fetched
// from a vault) and how its msg.payload is read. Only these four; each a string. The values replace
// the configured ones until the next deploy or restart, and are never logged or shown.
export const RECONFIGURABLE = ['url', 'tenant', 'username', 'password'] as const;
export type Reconfiguration = Partial<Record<(typeof RECONFIGURABLE)[number], string>>;

/**
 * The changes in `payload`; throws an Error with the text of `message(key)` (an i18n key under
 * avaya-analytics-server.errors) when it holds nothing usable or a value that is not a string.
 */
export function parseReconfiguration(payload: unknown, message: (key: string) => string): Reconfiguration {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
    throw new Error(message('reconfigure-payload'));
  const given = payload as Record<string, unknown>;
  const out: Reconfiguration = {};
  for (const name of RECONFIGURABLE) {
    const value = given[name];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') throw new Error(message('reconfigure-payload'));
    out[name] = value;
  }
  if (Object.keys(out).length === 0) throw new Error(message('reconfigure-payload'));
  return out;
}

/** The msg after a reconfigure: the password no longer in it (a Catch or debug node may see the msg). */
export function scrubReconfiguration(payload: unknown): void {
  if (payload !== null && typeof payload === 'object' && 'password' in payload)
    delete (payload as Record<string, unknown>).password;
}
