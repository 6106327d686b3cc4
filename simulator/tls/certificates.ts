// Generates a throw-away certificate authority and a server certificate for the simulator's HTTPS/WSS
// listener (SAN localhost, 127.0.0.1, ::1), so clients can verify TLS for real instead of turning
// verification off. EC P-256 keys, ECDSA-SHA256 signatures, X.509 v3, valid one year.
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import * as der from './der';

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

// KeyUsage bit numbers (RFC 5280 §4.2.1.3).
const DIGITAL_SIGNATURE = 0;
const KEY_CERT_SIGN = 5;
const CRL_SIGN = 6;

const VALIDITY_MS = 365 * 24 * 3600 * 1000;
const DEFAULT_ALT_NAMES = ['localhost', '127.0.0.1', '::1'];
/** notBefore lies a little in the past so a peer with a slightly slow clock accepts the certificate. */
const BACKDATE_MS = 3600 * 1000;

export interface GeneratedCertificates {
  caPem: string;
  certPem: string;
  keyPem: string;
}

export interface WrittenCertificates extends GeneratedCertificates {
  caPath: string;
  certPath: string;
  keyPath: string;
}

interface Party {
  name: Buffer;
  publicKey: KeyObject;
  privateKey: KeyObject;
  keyId: Buffer;
}

function distinguishedName(commonName: string): Buffer {
  const rdn = (type: string, value: string) => der.set(der.sequence(der.oid(type), der.utf8String(value)));
  return der.sequence(rdn(OID.organization, 'Avaya Analytics simulator'), rdn(OID.commonName, commonName));
}

function newParty(commonName: string): Party {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  // A key identifier only has to be unique per key: a hash of the encoded public key serves.
  const keyId = createHash('sha1').update(spki).digest();
  return { name: distinguishedName(commonName), publicKey, privateKey, keyId };
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? der.sequence(der.oid(id), der.boolean(true), der.octetString(value))
    : der.sequence(der.oid(id), der.octetString(value));
}

function generalName(host: string): Buffer {
  const family = isIP(host);
  if (family === 0) return der.implicitPrimitive(2, Buffer.from(host, 'ascii')); // dNSName
  return der.implicitPrimitive(7, ipBytes(host, family)); // iPAddress
}

function ipBytes(address: string, family: number): Buffer {
  if (family === 4) return Buffer.from(address.split('.').map(Number));
  // Expand "::" and write eight 16-bit groups.
  const [head = '', tail = ''] = address.includes('::') ? address.split('::') : [address, ''];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  const out = Buffer.alloc(16);
  groups.forEach((group, i) => out.writeUInt16BE(parseInt(group, 16), i * 2));
  return out;
}

function certificate(options: {
  subject: Party;
  issuer: Party;
  isCa: boolean;
  altNames: string[];
  now: number;
}): string {
  const { subject, issuer, isCa, altNames, now } = options;
  const serial = randomBytes(16);
  serial[0] = (serial[0] as number) & 0x7f; // positive, at most 20 octets
  const algorithm = der.sequence(der.oid(OID.ecdsaWithSha256));
  const extensions: Buffer[] = [
    extension(OID.basicConstraints, true, isCa ? der.sequence(der.boolean(true), der.smallInteger(0)) : der.sequence()),
    extension(
      OID.keyUsage,
      true,
      der.namedBits(isCa ? [DIGITAL_SIGNATURE, KEY_CERT_SIGN, CRL_SIGN] : [DIGITAL_SIGNATURE]),
    ),
    extension(OID.subjectKeyIdentifier, false, der.octetString(subject.keyId)),
    extension(OID.authorityKeyIdentifier, false, der.sequence(der.implicitPrimitive(0, issuer.keyId))),
  ];
  if (!isCa) {
    extensions.push(extension(OID.extKeyUsage, false, der.sequence(der.oid(OID.serverAuth))));
    extensions.push(extension(OID.subjectAltName, false, der.sequence(...altNames.map(generalName))));
  }
  const tbs = der.sequence(
    der.explicit(0, der.smallInteger(2)), // v3
    der.unsignedInteger(serial),
    algorithm,
    issuer.name,
    der.sequence(der.time(new Date(now - BACKDATE_MS)), der.time(new Date(now + VALIDITY_MS))),
    subject.name,
    subject.publicKey.export({ format: 'der', type: 'spki' }),
    der.explicit(3, der.sequence(...extensions)),
  );
  const signature = sign('sha256', tbs, issuer.privateKey); // ECDSA signature, DER encoded
  return toPem('CERTIFICATE', der.sequence(tbs, algorithm, der.bitString(signature)));
}

function toPem(label: string, body: Buffer): string {
  const base64 = body
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${base64}\n-----END ${label}-----\n`;
}

/** A fresh CA and a server certificate it signed, for the given host names and IP addresses. */
export function generateCertificates(altNames: string[] = DEFAULT_ALT_NAMES): GeneratedCertificates {
  const now = Date.now();
  const ca = newParty('Avaya Analytics simulator CA');
  const server = newParty('localhost');
  return {
    caPem: certificate({ subject: ca, issuer: ca, isCa: true, altNames: [], now }),
    certPem: certificate({ subject: server, issuer: ca, isCa: false, altNames, now }),
    keyPem: server.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
  };
}

/** A certificate kept from an earlier start must stay valid at least this long, or a fresh set is made. */
const REUSE_MARGIN_MS = 7 * 24 * 3600 * 1000;

/**
 * The certificates in `dir` when an earlier start wrote them and they still serve (the CA signed the server
 * certificate, the key is its key, every alt name is covered, valid for another week), else fresh ones
 * written there. A user who gave the simulator's CA to a tls-config node keeps it across restarts with the
 * same --cert-dir.
 */
export async function reuseOrWriteCertificates(dir: string, altNames?: string[]): Promise<WrittenCertificates> {
  const paths = certificatePaths(dir);
  try {
    const [caPem, certPem, keyPem] = await Promise.all([
      readFile(paths.caPath, 'utf8'),
      readFile(paths.certPath, 'utf8'),
      readFile(paths.keyPath, 'utf8'),
    ]);
    if (stillServes(caPem, certPem, keyPem, altNames ?? DEFAULT_ALT_NAMES)) return { caPem, certPem, keyPem, ...paths };
  } catch {
    // missing or unreadable: a fresh set
  }
  return writeCertificates(dir, altNames);
}

function stillServes(caPem: string, certPem: string, keyPem: string, altNames: readonly string[]): boolean {
  try {
    const ca = new X509Certificate(caPem);
    const cert = new X509Certificate(certPem);
    const until = Date.now() + REUSE_MARGIN_MS;
    if (Date.parse(ca.validTo) < until || Date.parse(cert.validTo) < until) return false;
    if (!ca.ca || !cert.verify(ca.publicKey) || !cert.checkPrivateKey(createPrivateKey(keyPem))) return false;
    return altNames.every((name) => (isIP(name) ? cert.checkIP(name) : cert.checkHost(name)) !== undefined);
  } catch {
    return false;
  }
}

function certificatePaths(dir: string): Pick<WrittenCertificates, 'caPath' | 'certPath' | 'keyPath'> {
  return { caPath: join(dir, 'ca.pem'), certPath: join(dir, 'server-cert.pem'), keyPath: join(dir, 'server-key.pem') };
}

/** Generates certificates and writes ca.pem, server-cert.pem and server-key.pem (owner-only) into `dir`. */
export async function writeCertificates(dir: string, altNames?: string[]): Promise<WrittenCertificates> {
  const generated = generateCertificates(altNames);
  await mkdir(dir, { recursive: true });
  const { caPath, certPath, keyPath } = certificatePaths(dir);
  await writeFile(caPath, generated.caPem);
  await writeFile(certPath, generated.certPem);
  await writeFile(keyPath, generated.keyPem, { mode: 0o600 });
  return { ...generated, caPath, certPath, keyPath };
}
