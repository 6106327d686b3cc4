// Splits a request target into decoded path segments and query parameters without throwing on
// hostile input (bad % escapes, absolute-form targets, "//" runs). The guide's own curl sample has
// "orca-streams-rest//users/login", so empty segments are skipped.

export interface RequestTarget {
  segments: string[];
  query: URLSearchParams;
}

export type ParsedTarget = { ok: true; target: RequestTarget } | { ok: false; message: string };

export function parseRequestTarget(rawUrl: string | undefined): ParsedTarget {
  const url = rawUrl ?? '/';
  if (!url.startsWith('/')) return { ok: false, message: 'request target must be an absolute path' };
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1));
  const segments: string[] = [];
  for (const raw of path.split('/')) {
    if (raw === '') continue;
    try {
      segments.push(decodeURIComponent(raw));
    } catch {
      return { ok: false, message: 'malformed percent-encoding in the request path' };
    }
  }
  return { ok: true, target: { segments, query } };
}

/** The segments after `prefix` (already split), or undefined when the path does not start with it. */
export function stripPrefix(segments: string[], prefix: string[]): string[] | undefined {
  if (segments.length < prefix.length) return undefined;
  for (let i = 0; i < prefix.length; i++) if (segments[i] !== prefix[i]) return undefined;
  return segments.slice(prefix.length);
}

export function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}
