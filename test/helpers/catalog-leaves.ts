// A message catalog (locales/<lang>/<type>.json) as its texts by dotted key: "status.ready" → "ready · __count__ msgs".
export function catalogLeaves(
  o: Record<string, unknown>,
  prefix = '',
  out = new Map<string, string>(),
): Map<string, string> {
  for (const [k, v] of Object.entries(o)) {
    if (v !== null && typeof v === 'object') catalogLeaves(v as Record<string, unknown>, `${prefix}${k}.`, out);
    else out.set(prefix + k, String(v));
  }
  return out;
}
