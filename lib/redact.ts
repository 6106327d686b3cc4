// Keeps secrets out of logs, errors, states and messages. Two layers: the known secrets of a client
// (its password and every token it received) are replaced wherever they appear, and anything that
// looks like a JWT or a password/token query parameter is masked even when we never saw it before.

const MASK = '***';
// Three base64url segments, the first two starting with '{"' encoded ("eyJ").
const JWT_PATTERN = /eyJ[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
const SECRET_PARAM = /([?&;](?:password|passwd|pwd|token|authdata|authorization|access_token)=)[^&#\s"']*/gi;
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remember a secret (short strings are ignored: masking "a" everywhere would destroy messages). */
  add(secret: string | undefined): void {
    if (secret && secret.length >= 3) this.secrets.add(secret);
  }

  forget(secret: string | undefined): void {
    if (secret) this.secrets.delete(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(MASK);
    }
    return redactPatterns(out);
  }
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
