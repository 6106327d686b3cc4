// Extracts the server's explanation from an error response. The 4.x YAML is not public, so accept the
// shapes seen on this interface and its successor: plain JSON {message} / {error} / {error_description},
// RFC 7807 problem+json {title, detail, status}, or plain text / HTML.

const MAX_TEXT = 300;

/**
 * The explanation in an error body, at most MAX_TEXT characters. `redact` runs before the clip: a secret
 * the server echoed across the cut must not leave its first half behind.
 */
export function errorMessageFromBody(
  body: string,
  contentType: string | undefined,
  redact: (text: string) => string = (text) => text,
): string {
  const text = body.trim();
  if (!text) return '';
  const looksJson = (contentType ?? '').includes('json') || text.startsWith('{');
  if (looksJson) {
    const fromJson = messageFromJson(text);
    if (fromJson !== undefined) return clip(redact(fromJson));
  }
  if ((contentType ?? '').includes('html') || text.startsWith('<')) return clip(redact(stripHtml(text)));
  return clip(redact(text.length > MAX_PLAIN_SCAN ? text.slice(0, MAX_PLAIN_SCAN) : text));
}

/** Plain text read for the explanation (redacted before the clip, so more than is shown). */
const MAX_PLAIN_SCAN = 4096;

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

/** HTML read for the explanation: an error page's text is in its first few KB. */
const MAX_HTML_SCAN = 64 * 1024;

/**
 * The text of an HTML page, tags and scripts/styles removed. A linear scan, not regular expressions: on a
 * body of unclosed "<" a `/<[^>]*>/g` retries from every "<" to the end (160 KB took 11 s of the event loop).
 */
function stripHtml(html: string): string {
  const page = html.length > MAX_HTML_SCAN ? html.slice(0, MAX_HTML_SCAN) : html;
  const lower = page.toLowerCase();
  let out = '';
  let i = 0;
  while (i < page.length) {
    const open = page.indexOf('<', i);
    if (open < 0) {
      out += page.slice(i);
      break;
    }
    out += page.slice(i, open) + ' ';
    const close = page.indexOf('>', open + 1);
    if (close < 0) break; // an unclosed tag: the rest is markup
    const raw = rawTextEnd(lower, open, close);
    i = raw < 0 ? close + 1 : raw;
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** After a <script> or <style> opening tag: the index past its closing tag (the page's end if none); else -1. */
function rawTextEnd(lower: string, open: number, close: number): number {
  for (const name of ['script', 'style']) {
    if (!lower.startsWith(name, open + 1)) continue;
    const after = lower.charCodeAt(open + 1 + name.length);
    if (after !== 62 /* > */ && after !== 32 && after !== 9 && after !== 10 && after !== 13 && after !== 47) continue;
    const end = lower.indexOf(`</${name}`, close + 1);
    if (end < 0) return lower.length;
    const gt = lower.indexOf('>', end);
    return gt < 0 ? lower.length : gt + 1;
  }
  return -1;
}

function clip(s: string): string {
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s;
}
