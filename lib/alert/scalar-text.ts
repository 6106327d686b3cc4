// The text of a field value or rule parameter, as String() gives it. Field values are wire scalars
// (string, number, boolean, null: the state store refuses anything else); anything else is written as
// String() would (an object by its own toString).
export function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  return (value as { toString(): string }).toString();
}
