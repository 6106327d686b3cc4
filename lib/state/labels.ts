// Display names for records, from a dictionary (the avaya-analytics-dictionary node sends the
// dictionary in msg.payload and a name → display-name map in msg.labels). The map is frozen and has
// no prototype: it is handed to every output as msg.labels, and no flow may change it for the others.
import { StateInputError } from './errors';

export type LabelMap = Readonly<Record<string, string>>;

/**
 * Builds a label map from msg.labels, or, when that is absent, from the dictionary's `dimensions` and
 * `measures` lists ({name, displayName}). Entries that are not strings are skipped. Throws when nothing
 * usable is found.
 */
export function toLabelMap(labels: unknown, dictionary?: unknown): LabelMap {
  const out: Record<string, string> = Object.create(null);
  let count = 0;
  if (isObject(labels)) {
    for (const name of Object.keys(labels)) {
      const display = labels[name];
      if (typeof display === 'string') {
        out[name] = display;
        count++;
      }
    }
  } else if (isObject(dictionary)) {
    for (const list of [dictionary.dimensions, dictionary.measures]) {
      if (!Array.isArray(list)) continue;
      for (const entry of list) {
        if (isObject(entry) && typeof entry.name === 'string' && typeof entry.displayName === 'string') {
          out[entry.name] = entry.displayName;
          count++;
        }
      }
    }
  }
  if (count === 0) throw new StateInputError('dictionary message has no labels (msg.labels or payload.measures)');
  return Object.freeze(out);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}
