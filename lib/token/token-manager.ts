// Holds the supervisor's token: reads `exp` with jose's decodeJwt, logs in again shortly before it runs
// out, and makes concurrent callers share one login (single-flight). The token never leaves this
// object except as the Authorization header / the redirect's `authorization` field.
import { decodeJwt } from 'jose';
import { TokenError } from '../errors';
import type { Redactor } from '../redact';
import type { TokenVerifier } from './token-verifier';

export interface TokenInfo {
  token: string;
  subject: string;
  /**
   * Epoch ms by this machine's clock: when it was received plus its lifetime (exp − iat), or `exp` itself
   * when it has no `iat`; Infinity when the token carries no `exp`.
   */
  expiresAt: number;
  /** Epoch ms of the moment we received it. */
  receivedAt: number;
}

/** Reads the claims we need; refuses anything that is not a JWT. */
export function inspectToken(token: string, now: number): TokenInfo {
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(token);
  } catch {
    throw new TokenError('the login response did not contain a valid JWT');
  }
  const exp = typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp * 1000 : Infinity;
  const iat = typeof claims.iat === 'number' && Number.isFinite(claims.iat) ? claims.iat * 1000 : undefined;
  // Expiry by the token's own lifetime from the moment it arrived, when it says when it was issued: judged by
  // this machine's clock, a clock ahead of the server's made every token look expired (a login before every
  // request) and one behind kept tokens past their end (a 401 each time).
  const expiresAt = exp !== Infinity && iat !== undefined && iat <= exp ? now + (exp - iat) : exp;
  return { token, subject: typeof claims.sub === 'string' ? claims.sub : '', expiresAt, receivedAt: now };
}

export class TokenManager {
  private current: TokenInfo | null = null;
  private pending: Promise<TokenInfo> | null = null;

  constructor(
    private readonly fetchToken: () => Promise<string>,
    private readonly verifier: TokenVerifier | null,
    private readonly leadMs: number,
    private readonly redactor: Redactor,
    private readonly now: () => number = Date.now,
  ) {}

  /** The current token if it is still good for the refresh lead, else a fresh one. */
  get(): Promise<TokenInfo> {
    const cur = this.current;
    if (cur && !this.needsRefresh(cur)) return Promise.resolve(cur);
    return this.refresh();
  }

  /** The cached token without any network call (null when none or expired). */
  peek(): TokenInfo | null {
    const cur = this.current;
    return cur && cur.expiresAt > this.now() ? cur : null;
  }

  /** Logs in now; callers that arrive while a login is running share it. */
  refresh(): Promise<TokenInfo> {
    if (!this.pending) {
      const p = this.login().finally(() => {
        if (this.pending === p) this.pending = null;
      });
      this.pending = p;
    }
    return this.pending;
  }

  /** A request was answered 401 with `token`: drop it unless a newer token has replaced it already. */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = null;
  }

  clear(): void {
    if (this.current) this.redactor.forget(this.current.token);
    this.current = null;
  }

  /**
   * Refresh `leadMs` before expiry, but never more than half the token's lifetime early (a 10 s test
   * token with the 60 s default lead would otherwise be renewed on every request).
   */
  needsRefresh(info: TokenInfo): boolean {
    if (info.expiresAt === Infinity) return false;
    const lifetime = info.expiresAt - info.receivedAt;
    const lead = Math.min(this.leadMs, Math.max(0, lifetime / 2));
    return this.now() >= info.expiresAt - lead;
  }

  /** Milliseconds until the token should be renewed (Infinity when it never expires). */
  msUntilRefresh(): number {
    const cur = this.current;
    if (!cur) return 0;
    if (cur.expiresAt === Infinity) return Infinity;
    const lifetime = cur.expiresAt - cur.receivedAt;
    const lead = Math.min(this.leadMs, Math.max(0, lifetime / 2));
    return Math.max(0, cur.expiresAt - lead - this.now());
  }

  private async login(): Promise<TokenInfo> {
    const token = await this.fetchToken();
    // Register first: from here on the token is masked in every error and log line.
    this.redactor.add(token);
    const info = inspectToken(token, this.now());
    if (this.verifier) await this.verifier(token);
    if (this.current && this.current.token !== token) this.redactor.forget(this.current.token);
    this.current = info;
    return info;
  }
}
