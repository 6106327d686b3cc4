// Issues and checks the JWTs of the simulated login service: RS256 with a key pair generated at
// start (and again on restart), a `kid` header, and the claims of the guide's sample token.
// Revocation is tracked by jti so the control API can expire every token issued so far.
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, exportJWK, exportSPKI, generateKeyPair, jwtVerify, type JWK } from 'jose';

export interface TokenClaims {
  sub: string;
  jti: string;
  exp: number;
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: string };

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

interface SigningKey {
  kid: string;
  privateKey: KeyPair['privateKey'];
  publicKey: KeyPair['publicKey'];
  publicKeyPem: string;
  jwk: JWK;
}

/** The guide's sample `userScopeList`: a supervisor of Avaya Analytics and Oceana. */
const USER_SCOPE_LIST = [
  { featureName: 'ccUserRole', featureValues: ['SUPERVISOR'] },
  {
    featureName: 'ccUserData',
    featureValues: [
      JSON.stringify({
        applicationPrivileges: [
          { application: { name: 'Avaya Analytics' }, role: { name: 'SUPERVISOR' } },
          { application: { name: 'Oceana' }, role: { name: 'SUPERVISOR' } },
        ],
      }),
    ],
  },
  { featureName: 'mappedLdapAttribute', featureValues: ['mail'] },
];

/** A jose error code → a message fit for a 401 body (never echoes the token). */
function explain(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'token expired';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'token signature is invalid';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'token algorithm is not accepted (RS256 only)';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return `token claim invalid: ${String((error as { claim?: unknown }).claim)}`;
    default:
      return 'token is malformed';
  }
}

async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomBytes(12).toString('base64url');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicKey, publicKeyPem: await exportSPKI(publicKey), jwk };
}

export class TokenService {
  /** Issued and not revoked, by jti (expired entries are pruned on the next issue). */
  private readonly live = new Map<string, TokenClaims>();
  private readonly audience = randomBytes(16).toString('base64url');
  private readonly issuer = randomUUID();

  private constructor(
    private key: SigningKey,
    private readonly lifetimeSec: number,
  ) {}

  static async create(lifetimeSec: number): Promise<TokenService> {
    return new TokenService(await newSigningKey(), lifetimeSec);
  }

  get publicKeyPem(): string {
    return this.key.publicKeyPem;
  }

  get kid(): string {
    return this.key.kid;
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.key.jwk] };
  }

  async issue(username: string): Promise<string> {
    const iat = Math.floor(Date.now() / 1000);
    const claims: TokenClaims = { sub: username, jti: randomUUID(), exp: iat + this.lifetimeSec };
    this.pruneExpired(iat);
    const token = await new SignJWT({ userScopeList: USER_SCOPE_LIST })
      .setProtectedHeader({ alg: 'RS256', kid: this.key.kid, typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuedAt(iat)
      .setExpirationTime(claims.exp)
      .setJti(claims.jti)
      .setAudience(this.audience)
      .setIssuer(this.issuer)
      .sign(this.key.privateKey);
    this.live.set(claims.jti, claims);
    return token;
  }

  /** Checks signature, algorithm, kid, expiry, issuer, audience and revocation. */
  async verify(token: string): Promise<TokenCheck> {
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      return { ok: false, reason: 'token is malformed' };
    }
    let claims: TokenClaims;
    try {
      const { payload } = await jwtVerify(token, this.key.publicKey, {
        algorithms: ['RS256'],
        issuer: this.issuer,
        audience: this.audience,
        requiredClaims: ['sub', 'jti', 'exp', 'iat'],
      });
      claims = { sub: payload.sub as string, jti: payload.jti as string, exp: payload.exp as number };
    } catch (error) {
      // A token of a previous key fails the signature check; say why when the header tells us.
      if (kid !== this.key.kid && (error as { code?: unknown }).code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') {
        return { ok: false, reason: 'token was signed by an unknown key' };
      }
      return { ok: false, reason: explain(error) };
    }
    if (!this.live.has(claims.jti)) return { ok: false, reason: 'token has been revoked' };
    return { ok: true, claims };
  }

  /** True while a verified token's jti is still live (for sockets that keep a token's authority). */
  isLive(jti: string): boolean {
    return this.live.has(jti);
  }

  /** Revokes every token issued so far; returns how many were live. */
  revokeAll(): number {
    const count = this.live.size;
    this.live.clear();
    return count;
  }

  /** New key pair and kid; every earlier token becomes invalid. */
  async rotate(): Promise<void> {
    const key = await newSigningKey();
    this.key = key;
    this.live.clear();
  }

  private pruneExpired(nowSec: number): void {
    if (this.live.size < 1024) return;
    for (const [jti, claims] of this.live) if (claims.exp < nowSec) this.live.delete(jti);
  }
}
