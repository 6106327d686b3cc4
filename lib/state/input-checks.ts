// Checks of wire data shared by updates, queries and restores. They throw StateInputError naming the
// field, before the store changes anything.
import { sortedNames } from '../entity-key';
import { StateInputError } from './errors';

/** The dimension as a flat [name, value, …] array in key order (the order of entityKey). */
export function flatDimension(dimension: Readonly<Record<string, string>>): string[] {
  const names = sortedNames(dimension);
  const dims = new Array<string>(names.length * 2);
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string; // i < names.length
    dims[2 * i] = name;
    dims[2 * i + 1] = dimension[name] ?? '';
  }
  return dims;
}

export function checkDimension(dimension: unknown): asserts dimension is Readonly<Record<string, string>> {
  if (dimension === null || typeof dimension !== 'object' || Array.isArray(dimension)) {
    throw new StateInputError('dimension must be an object');
  }
  const record = dimension as Record<string, unknown>;
  let size = 0;
  // The own names, as Object.keys lists them, without an array per update (a flow's dimension may have a prototype).
  for (const name in record) {
    if (!Object.hasOwn(record, name)) continue;
    if (typeof record[name] !== 'string') throw new StateInputError(`dimension ${quote(name)} is not a string`);
    size++;
  }
  if (size === 0) throw new StateInputError('dimension is empty: no entity to update');
}

/** What a measure may hold once decoded: a JSON scalar (objects would be shared with the msgs they came from). */
export function isWireScalar(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** A wire string in an error message: quoted and cut short (names can be arbitrary). */
export function quote(text: string): string {
  return JSON.stringify(text.length > 64 ? text.slice(0, 64) + '…' : text);
}
