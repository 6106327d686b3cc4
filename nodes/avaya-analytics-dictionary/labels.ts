// name → display name of a dictionary's dimensions and measures. The names come from the server,
// so the map has no prototype: a name like "__proto__" or "constructor" is just another key.

export interface Labels {
  map: Record<string, string>;
  count: number;
}

export function dictionaryLabels(dictionary: unknown): Labels {
  const map: Record<string, string> = Object.create(null);
  let count = 0;
  const d = dictionary && typeof dictionary === 'object' ? (dictionary as Record<string, unknown>) : {};
  for (const list of [d.dimensions, d.measures]) {
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (!entry || typeof entry !== 'object') continue;
      const { name, displayName } = entry as Record<string, unknown>;
      if (typeof name !== 'string' || name === '') continue;
      if (!(name in map)) count++;
      map[name] = typeof displayName === 'string' && displayName !== '' ? displayName : name;
    }
  }
  return { map, count };
}
