// A value of unknown type as text, for an error message or a setting: strings as they are, objects as JSON
// (never "[object Object]"), nothing for undefined, null and functions.
export function textOf(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'symbol':
      return value.toString();
    case 'object':
      return value === null ? '' : (JSON.stringify(value) ?? '');
    default:
      return '';
  }
}
