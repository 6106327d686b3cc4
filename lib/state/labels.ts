// Display names for records, from a dictionary (the avaya-analytics-dictionary node sends the
// dictionary in msg.payload and a name → display-name map in msg.labels). One extraction serves both
// nodes: the dictionary node builds msg.labels with dictionaryLabels(…, 'name'), and the state node
// takes msg.labels, or, when a flow dropped it, reads the dictionary with dictionaryLabels(…, 'skip').
// Names come from the server: maps have no prototype, so "__proto__" or "constructor" are plain keys.
import { StateInputError } from './errors';

export type LabelMap = Readonly<Record<string, string>>;

/**
 * What becomes of a dictionary entry without a usable displayName:
 *  name  it is labelled with its own name (an empty displayName counts as none; entries with an empty
 *        name are skipped): the dictionary node's msg.labels, one label per name the dictionary lists.
 *  skip  it is left out (an empty displayName is kept as it is): the state node, which labels only what
 *        the dictionary names.
 */
export type LabelFallback = 'name' | 'skip';

export interface Labels {
  /** name → display name, without a prototype. */
  map: Record<string, string>;
  /** Distinct names labelled. */
  count: number;
}

/** name → display name of a dictionary's `dimensions` and `measures` lists ({name, displayName}). */
export function dictionaryLabels(dictionary: unknown, fallback: LabelFallback): Labels {
  const map: Record<string, string> = Object.create(null) as Record<string, string>;
  let count = 0;
  if (!isObject(dictionary)) return { map, count };
  for (const list of [dictionary.dimensions, dictionary.measures]) {
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (!isObject(entry)) continue;
      const { name, displayName } = entry;
      if (typeof name !== 'string') continue;
      let label: string;
      if (fallback === 'skip') {
        if (typeof displayName !== 'string') continue;
        label = displayName;
      } else {
        if (name === '') continue;
        label = typeof displayName === 'string' && displayName !== '' ? displayName : name;
      }
      if (!(name in map)) count++;
      map[name] = label;
    }
  }
  return { map, count };
}

/**
 * Builds a label map from msg.labels, or, when that is absent, from the dictionary (dictionaryLabels
 * with 'skip'). Entries that are not strings are skipped. Throws when nothing usable is found. The map
 * is frozen: it is handed to every output as msg.labels, and no flow may change it for the others.
 */
export function toLabelMap(labels: unknown, dictionary?: unknown): LabelMap {
  let out: Record<string, string>;
  let count = 0;
  if (isObject(labels)) {
    out = Object.create(null) as Record<string, string>;
    for (const name of Object.keys(labels)) {
      const display = labels[name];
      if (typeof display === 'string') {
        out[name] = display;
        count++;
      }
    }
  } else {
    ({ map: out, count } = dictionaryLabels(dictionary, 'skip'));
  }
  if (count === 0) throw new StateInputError('dictionary message has no labels (msg.labels or payload.measures)');
  return Object.freeze(out);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}
