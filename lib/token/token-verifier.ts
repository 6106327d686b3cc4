// Optional signature verification of the login token (the guide: "the third-party application is
// responsible for validating the token's signature"). Keys come from a PEM public key, an X.509
// certificate, or a JWKS URL fetched through the client's own undici Agent (same CA / client
// certificate as the REST calls), with jose refetching the set when a token names an unknown kid.
import { createRemoteJWKSet, customFetch, decodeProtectedHeader, importSPKI, importX509, jwtVerify } from 'jose';
import type { CryptoKey, JWTVerifyGetKey } from 'jose';
import type { TokenVerification } from '../api';
import { AnalyticsError, TimeoutError, TokenError } from '../errors';

export type TokenVerifier = (token: string) => Promise<void>;

/** Fetches a URL through the client's transport (status + body text), ended early by `signal`, at most `maxBytes`. */
export type JwksFetcher = (
  url: string,
  limits: { signal?: AbortSignal; maxBytes: number },
) => Promise<{ status: number; text: string; contentType: string | undefined }>;

/**
 * Largest JWKS body: a key set holds a few keys of ~1-5 KB each (with their certificate chains). A
 * server sending megabytes would stall the event loop parsing and importing them.
 */
export const MAX_JWKS_BYTES = 256 * 1024;
/** jose's own timeout for one JWKS fetch (its default). */
const JWKS_TIMEOUT_MS = 5000;

/** Asymmetric algorithms only: accepting HS* with a public key as the secret is the classic confusion attack. */
const ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];
const CLOCK_TOLERANCE_S = 30;

export function createTokenVerifier(verification: TokenVerification, fetchJwks: JwksFetcher): TokenVerifier | null {
  switch (verification.kind) {
    case 'none':
      return null;
    case 'pem':
      return pemVerifier(verification.key);
    case 'jwks':
      return jwksVerifier(verification.url, fetchJwks);
    default:
      throw new TypeError(`unknown tokenVerification kind "${(verification as { kind: string }).kind}"`);
  }
}

/** The header's alg, refusing unsigned tokens and algorithms we never accept. */
function checkedAlg(token: string): string {
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    throw new TokenError('token refused: it is not a JWT');
  }
  if (typeof alg !== 'string' || alg.toLowerCase() === 'none')
    throw new TokenError('token refused: unsigned token (alg "none")');
  if (!ALGORITHMS.includes(alg)) throw new TokenError(`token refused: algorithm "${alg}" is not accepted`);
  return alg;
}

function pemVerifier(pem: string): TokenVerifier {
  const text = typeof pem === 'string' ? pem.trim() : '';
  if (!text.includes('-----BEGIN'))
    throw new TypeError('tokenVerification.key must be a PEM public key or certificate');
  const isCert = text.includes('BEGIN CERTIFICATE');
  // jose binds an imported key to one algorithm; the server's alg is only known from the token.
  const keys = new Map<string, Promise<CryptoKey>>();
  const keyFor = (alg: string): Promise<CryptoKey> => {
    let key = keys.get(alg);
    if (!key) {
      key = isCert ? importX509(text, alg) : importSPKI(text, alg);
      keys.set(alg, key);
      key.catch(() => keys.delete(alg));
    }
    return key;
  };
  return async (token) => {
    const alg = checkedAlg(token);
    let key: CryptoKey;
    try {
      key = await keyFor(alg);
    } catch (err) {
      throw new TokenError(`token verification key unusable for ${alg}: ${(err as Error).message}`, { cause: err });
    }
    await verifyWith(token, key, alg);
  };
}

function jwksVerifier(url: string, fetchJwks: JwksFetcher): TokenVerifier {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('tokenVerification.url is not a valid URL');
  }
  // Keys fetched over clear text could be swapped by anyone on the path: the check would prove nothing.
  if (parsed.protocol !== 'https:') throw new TypeError('tokenVerification.url must be https://');
  const fetchImpl = async (target: string, init?: { signal?: AbortSignal }): Promise<Response> => {
    const signal = init?.signal;
    let res;
    try {
      res = await fetchJwks(target, { ...(signal ? { signal } : {}), maxBytes: MAX_JWKS_BYTES });
    } catch (err) {
      if (signal?.aborted !== true) throw err;
      throw new TimeoutError('JWKS_TIMEOUT', `timeout: no key set from ${parsed.origin} within ${JWKS_TIMEOUT_MS} ms`, {
        cause: err,
      });
    }
    return new Response(res.text, {
      status: res.status,
      headers: { 'content-type': res.contentType ?? 'application/json' },
    });
  };
  // No cooldown before refetching on an unknown kid: tokens come only from our own logins, which are
  // single-flight and paced by the backoff, so a server key rotation is followed at once without
  // letting anyone make us hammer the JWKS endpoint.
  const keySet = createRemoteJWKSet(parsed, {
    [customFetch]: fetchImpl,
    cooldownDuration: 0,
    timeoutDuration: JWKS_TIMEOUT_MS,
  });
  return async (token) => {
    const alg = checkedAlg(token);
    await verifyWith(token, keySet, alg);
  };
}

async function verifyWith(token: string, key: CryptoKey | JWTVerifyGetKey, alg: string): Promise<void> {
  try {
    if (typeof key === 'function')
      await jwtVerify(token, key, { algorithms: [alg], clockTolerance: CLOCK_TOLERANCE_S });
    else await jwtVerify(token, key, { algorithms: [alg], clockTolerance: CLOCK_TOLERANCE_S });
  } catch (err) {
    if (err instanceof AnalyticsError)
      throw new TokenError(`token verification failed: could not get the key set: ${err.message}`, { cause: err });
    const code = (err as { code?: string }).code;
    throw new TokenError(`token verification failed${code ? ` (${code})` : ''}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
