// The names of the wide measures objects the decoder built from a template (frame-template.ts: 128 names or more,
// a dictionary-mode object), in their enumeration order, kept beside the object for a consumer that knows nobody
// has changed it since. Such a consumer reads the names instead of enumerating the object: every enumeration of a
// dictionary-mode object sorts its names, ~130 µs for a row of 1,675 measures (bench/README.md, fifteenth round).
//
// Who may rely on them: the avaya-analytics-state node, for a msg that a subscribe node sent to it first (Node-RED
// delivers the original msg to the first wire, and a copy to every other). A subscribe node whose first wire goes
// elsewhere forgets the names before it sends; the state node takes them, so that nothing after it finds them.
// Not covered: a Node-RED runtime hook (onSend, preRoute, preDeliver, onReceive) that adds keys to the payload.
// Held weakly: an entry goes with its object.

const namesOf = new WeakMap<object, readonly string[]>();

/** `names` are the names of `measures`, in enumeration order, as the decoder built it. */
export function rememberBuiltNames(measures: object, names: readonly string[]): void {
  namesOf.set(measures, names);
}

/** The names kept for `measures` (undefined when none are), which are then forgotten. */
export function takeBuiltNames(measures: unknown): readonly string[] | undefined {
  if (measures === null || typeof measures !== 'object') return undefined;
  const names = namesOf.get(measures);
  if (names !== undefined) namesOf.delete(measures);
  return names;
}
