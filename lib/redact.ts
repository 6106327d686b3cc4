// Keeps secrets out of logs, errors, states and messages. Two layers: the known secrets of a client
// (its password and every token it received) are replaced wherever they appear, and anything that
// looks like a JWT or a password/token query parameter is masked even when we never saw it before.

const MASK = '***';
// Base64url JSON ('{"' encodes as "eyJ"): a JWT's three segments, or what is left of one in a clipped
// sample (a frame or body cut in the middle of the token).
const JWT_PATTERN = /eyJ[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*|eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*)?/g;
const SECRET_PARAM = /([?&;](?:password|passwd|pwd|token|authdata|authorization|access_token)=)[^&#\s"']*/gi;
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;

export class Redactor {
  /** Each secret → the forms it may come back in (forms()). */
  private readonly secrets = new Map<string, string[]>();

  /** Remember a secret (short strings are ignored: masking "a" everywhere would destroy messages). */
  add(secret: string | undefined): void {
    if (secret && secret.length >= 3 && !this.secrets.has(secret)) this.secrets.set(secret, forms(secret));
  }

  forget(secret: string | undefined): void {
    if (secret) this.secrets.delete(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const shapes of this.secrets.values())
      for (const form of shapes) if (out.includes(form)) out = out.split(form).join(MASK);
    return redactPatterns(out);
  }
}

/**
 * The ways a secret may come back in a server's text: as sent, percent-encoded (a URL), form-encoded
 * (URLSearchParams: "+" for a space) and HTML-escaped (an error page quoting the request).
 */
function forms(secret: string): string[] {
  const out = [secret];
  const add = (form: string): void => {
    if (!out.includes(form)) out.push(form);
  };
  add(encodeURIComponent(secret));
  add(new URLSearchParams({ s: secret }).toString().slice(2));
  add(
    secret.replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
    ),
  );
  add(secret.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`));
  return out;
}

/** Masks JWT-shaped strings, Bearer credentials and secret query parameters. */
export function redactPatterns(text: string): string {
  return text.replace(JWT_PATTERN, MASK).replace(SECRET_PARAM, `$1${MASK}`).replace(BEARER, `$1${MASK}`);
}

/** A URL fit for a log line: no query string, no user info. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return redactPatterns(url.split('?')[0] ?? '');
  }
}
