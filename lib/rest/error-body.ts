// Extracts the server's explanation from an error response. The 4.x YAML is not public, so accept the
// shapes seen on this interface and its successor: plain JSON {message} / {error} / {error_description},
// RFC 7807 problem+json {title, detail, status}, or plain text / HTML.

const MAX_TEXT = 300;

export function errorMessageFromBody(body: string, contentType: string | undefined): string {
  const text = body.trim();
  if (!text) return '';
  const looksJson = (contentType ?? '').includes('json') || text.startsWith('{');
  if (looksJson) {
    const fromJson = messageFromJson(text);
    if (fromJson !== undefined) return clip(fromJson);
  }
  if ((contentType ?? '').includes('html') || text.startsWith('<')) return clip(stripHtml(text));
  return clip(text);
}

function messageFromJson(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed === 'string') return parsed;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const o = parsed as Record<string, unknown>;
  // problem+json: title is the summary, detail the specifics; show both when both exist.
  const title = str(o.title);
  const detail = str(o.detail);
  if (title || detail) return title && detail && title !== detail ? `${title}: ${detail}` : (detail ?? title);
  const nested = o.error;
  if (nested && typeof nested === 'object') {
    const inner = str((nested as Record<string, unknown>).message);
    if (inner) return inner;
  }
  return str(o.message) ?? str(o.error_description) ?? str(o.error) ?? str(o.errorMessage) ?? str(o.reason);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function stripHtml(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function clip(s: string): string {
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s;
}
