// A real RS256 token with its public key, for the token manager's and the verifier's tests.
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';

/** A token for `sub` that expires in `lifetimeSec`, signed by a fresh key pair; `pem` is the public key (SPKI). */
export async function rsaToken(lifetimeSec = 3600, sub = 'supervisor1'): Promise<{ token: string; pem: string }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setSubject(sub)
    .setIssuedAt(now)
    .setExpirationTime(now + lifetimeSec)
    .sign(privateKey);
  return { token, pem: await exportSPKI(publicKey) };
}
