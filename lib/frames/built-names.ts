// The names of the wide measures objects the decoder built from a template (frame-template.ts: 128 names or more,
// a dictionary-mode object), in their enumeration order, and their values, kept beside the object for a consumer
// that knows nobody has changed it since. Such a consumer reads the names instead of enumerating the object (every
// enumeration of a dictionary-mode object sorts its names, ~130 µs for a row of 1,675 measures: bench/README.md,
// fifteenth round), and the values instead of looking each name up (~40-70 µs for those names: sixteenth round).
//
// Who may rely on them: the avaya-analytics-state node, for a msg that a subscribe node sent to it first (Node-RED
// delivers the original msg to the first wire, and a copy to every other). A subscribe node whose first wire goes
// elsewhere forgets the row before it sends; the state node takes it, so that nothing after it finds it.
// Not covered: a Node-RED runtime hook (onSend, preRoute, preDeliver, onReceive) that changes the payload: the view
// would not get the change, and the record a state node makes of a row over 900 measures would be the changed object.
// Held weakly: an entry goes with its object.

/** What the decoder knows of a wide measures object it built. */
export interface BuiltRow {
  /** Its names, in enumeration order. */
  readonly names: readonly string[];
  /** Its values, in the same order; undefined when the decoder left some to be normalized after it. */
  readonly values: readonly unknown[] | undefined;
}

const rows = new WeakMap<object, BuiltRow>();

/** `names` are the names of `measures`, in enumeration order, and `values` (if given) its values, as decoded. */
export function rememberBuiltRow(
  measures: object,
  names: readonly string[],
  values: readonly unknown[] | undefined,
): void {
  rows.set(measures, { names, values });
}

/** What is kept for `measures` (undefined when nothing is), which is then forgotten. */
export function takeBuiltRow(measures: unknown): BuiltRow | undefined {
  if (measures === null || typeof measures !== 'object') return undefined;
  const row = rows.get(measures);
  if (row !== undefined) rows.delete(measures);
  return row;
}

/** The values kept for `measures` no longer are its values (its names still are its names). */
export function forgetBuiltValues(measures: object): void {
  const row = rows.get(measures);
  if (row?.values !== undefined) rows.set(measures, { names: row.names, values: undefined });
}
