// A stable key for one entity of one producer: the producer id, then every dimension key=value in
// key order, e.g. "AgentByAccount_SoD_3.5/accountId=8501014/agentId=jsmith/channelId=Voice".
// Independent of the order of keys on the wire, so the same entity always has the same key
// (used as msg.topic and as the state node's record key).
//
// Built with join(), not +=: concatenation makes a tree of cons strings (five per key), and the state
// store keeps one key per entity (100,000 keys would hold some 15 MB of string trees). The parts' array
// is sized: grown by push from [producerId], it got room for 17 parts (the subscribe node keys every msg).
export function entityKey(producerId: string, dimension: Readonly<Record<string, string>>): string {
  const names = sortedNames(dimension);
  const parts = new Array<string>(1 + 4 * names.length);
  parts[0] = producerId;
  let i = 1;
  for (const name of names) {
    parts[i++] = '/';
    parts[i++] = name;
    parts[i++] = '=';
    parts[i++] = dimension[name] ?? '';
  }
  return parts.join('');
}

/**
 * Object.keys(o).sort(), by insertion for the few names of a dimension: Array.prototype.sort costs ~100 ns
 * even for three names (a third of building the key), insertion ~10. The same order: by code unit, as sort's.
 */
export function sortedNames(o: Readonly<Record<string, unknown>>): string[] {
  const names = Object.keys(o);
  if (names.length > 8) return names.sort();
  for (let i = 1; i < names.length; i++) {
    const name = names[i] as string; // i < names.length
    let j = i - 1;
    while (j >= 0 && (names[j] as string) > name) {
      names[j + 1] = names[j] as string;
      j--;
    }
    names[j + 1] = name;
  }
  return names;
}

/**
 * The dimension read back from a key, as [name, value, …] in the key's order, from `from` (the length of
 * the producer id) on; null when the key has no "/name=value" there. Exact only when no name holds "/" or
 * "=" and no value holds "/": a caller that needs the dimension exactly compares it (dimensionInKey).
 */
export function dimensionFromKey(key: string, from: number): string[] | null {
  if (from >= key.length || key.charCodeAt(from) !== 47 /* / */) return null;
  // Sized first: grown by push, the array of a one-name dimension got room for 16 (every record reads it).
  let pairs = 0;
  for (let at = from; at !== -1; at = key.indexOf('/', at + 1)) pairs++;
  const out = new Array<string>(2 * pairs);
  let at = from;
  let i = 0;
  for (; at < key.length; i += 2) {
    const eq = key.indexOf('=', at + 1);
    if (eq < 0) return null;
    let next = key.indexOf('/', eq + 1);
    if (next < 0) next = key.length;
    out[i] = key.slice(at + 1, eq);
    out[i + 1] = key.slice(eq + 1, next);
    at = next;
  }
  if (i < out.length) out.length = i; // a name holding "/" made fewer pairs than slashes
  return out;
}

/**
 * Whether `dims` ([name, value, …]) is exactly what dimensionFromKey(key, from) reads, and every "/" of the
 * key after `from` starts a "/name=value" (no name holds "/" or "=", no value "/"): a search for "/name="
 * then finds only real names.
 */
export function dimensionInKey(key: string, from: number, dims: readonly string[]): boolean {
  for (let i = 0; i < dims.length; i++) {
    const text = dims[i] as string; // i < dims.length
    if (text.includes('/') || (i % 2 === 0 && text.includes('='))) return false;
  }
  const read = dimensionFromKey(key, from);
  if (read === null || read.length !== dims.length) return false;
  for (let i = 0; i < read.length; i++) if (read[i] !== dims[i]) return false;
  return true;
}
