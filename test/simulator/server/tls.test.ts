import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { get as httpsGet, type RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as der from '../../../simulator/tls/der';
import { generateCertificates } from '../../../simulator/tls/certificates';
import type { RunningSimulator } from '../../../simulator/options';
import { startTestSimulator } from '../../helpers/sim-wire';

function fetchStatus(get: typeof httpsGet, url: string, options: RequestOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get(url, { ...options, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
  });
}

describe('simulator TLS', () => {
  describe('DER encoder', () => {
    it('encodes lengths, integers, OIDs and named bits as X.690 says', () => {
      assert.deepEqual(der.tlv(0x04, Buffer.alloc(3)), Buffer.from([0x04, 3, 0, 0, 0]));
      assert.deepEqual(der.tlv(0x04, Buffer.alloc(200)).subarray(0, 3), Buffer.from([0x04, 0x81, 200]));
      assert.deepEqual(der.tlv(0x04, Buffer.alloc(300)).subarray(0, 4), Buffer.from([0x04, 0x82, 0x01, 0x2c]));
      assert.deepEqual(der.smallInteger(0), Buffer.from([0x02, 1, 0]));
      assert.deepEqual(der.smallInteger(128), Buffer.from([0x02, 2, 0, 0x80])); // sign bit needs a leading 0
      assert.deepEqual(der.unsignedInteger(Buffer.from([0, 0, 5])), Buffer.from([0x02, 1, 5]));
      assert.deepEqual(der.oid('1.2.840.10045.4.3.2'), Buffer.from('06082a8648ce3d040302', 'hex'));
      assert.deepEqual(der.oid('2.5.29.17'), Buffer.from('0603551d11', 'hex'));
      // keyCertSign | cRLSign | digitalSignature = 1000 0110, one unused bit
      assert.deepEqual(der.namedBits([0, 5, 6]), Buffer.from([0x03, 2, 1, 0x86]));
      assert.deepEqual(der.namedBits([0]), Buffer.from([0x03, 2, 7, 0x80]));
      assert.equal(der.time(new Date(Date.UTC(2030, 0, 2, 3, 4, 5))).toString('latin1', 2), '300102030405Z');
      assert.equal(der.time(new Date(Date.UTC(2051, 0, 2, 3, 4, 5))).toString('latin1', 2), '20510102030405Z');
    });
  });

  describe('generated certificates', () => {
    it('are a CA and a server certificate for localhost, 127.0.0.1 and ::1, valid for a year', () => {
      const { caPem, certPem } = generateCertificates();
      const ca = new X509Certificate(caPem);
      const cert = new X509Certificate(certPem);
      assert.equal(ca.ca, true);
      assert.equal(cert.ca, false);
      assert.ok(ca.verify(ca.publicKey), 'CA is self-signed');
      assert.ok(cert.checkIssued(ca));
      assert.ok(cert.verify(ca.publicKey), 'server certificate is signed by the CA');
      assert.equal(cert.checkHost('localhost'), 'localhost');
      assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
      assert.equal(cert.checkIP('::1'), '::1');
      assert.equal(cert.checkHost('example.com'), undefined);
      const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86400e3;
      assert.ok(days > 365 && days < 367, `validity ${days} days`);
      assert.ok(Date.parse(cert.validFrom) <= Date.now());
      assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1']); // extended key usage: serverAuth
    });

    it('differ on every generation (fresh keys and serials)', () => {
      const a = new X509Certificate(generateCertificates().certPem);
      const b = new X509Certificate(generateCertificates().certPem);
      assert.notEqual(a.serialNumber, b.serialNumber);
      assert.notEqual(a.fingerprint256, b.fingerprint256);
    });
  });

  describe('HTTPS listener', () => {
    let sim: RunningSimulator;
    let certDir: string;
    before(async () => {
      certDir = await mkdtemp(join(tmpdir(), 'sim-tls-test-'));
      sim = await startTestSimulator({ certDir });
    });
    after(async () => {
      await sim.close();
      await rm(certDir, { recursive: true, force: true });
    });

    it('writes ca.pem (and an owner-only key) into certDir', async () => {
      assert.equal(sim.caPath, join(certDir, 'ca.pem'));
      assert.equal(await readFile(sim.caPath, 'utf8'), sim.caPem);
      const key = await stat(join(certDir, 'server-key.pem'));
      assert.equal(key.mode & 0o077, 0);
    });

    it('is trusted by https.get with ca: caPem and rejectUnauthorized left at its default', async () => {
      assert.match(sim.restUrl, /^https:\/\/127\.0\.0\.1:\d+\/orca-streams-rest$/);
      assert.equal(await fetchStatus(httpsGet, `${sim.restUrl}/keys/public.pem`, { ca: sim.caPem }), 200);
      const viaName = sim.restUrl.replace('127.0.0.1', 'localhost');
      assert.equal(await fetchStatus(httpsGet, `${viaName}/keys/public.pem`, { ca: sim.caPem }), 200);
    });

    it('is rejected by https.get without the CA', async () => {
      await assert.rejects(fetchStatus(httpsGet, `${sim.restUrl}/keys/public.pem`), (error: NodeJS.ErrnoException) => {
        assert.match(String(error.code), /SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/);
        return true;
      });
    });

    it('keeps the CA of an earlier start in the same certDir, and replaces a set that no longer serves', async () => {
      const again = await startTestSimulator({ certDir });
      try {
        assert.equal(again.caPem, sim.caPem, 'a restart with the same --cert-dir must keep the CA users trust');
        assert.equal(await fetchStatus(httpsGet, `${again.restUrl}/keys/public.pem`, { ca: sim.caPem }), 200);
      } finally {
        await again.close();
      }
      // A server certificate that another CA signed: the set is made afresh.
      const other = generateCertificates();
      const mixed = await mkdtemp(join(tmpdir(), 'sim-tls-mixed-'));
      try {
        await writeFile(join(mixed, 'ca.pem'), other.caPem);
        await writeFile(join(mixed, 'server-cert.pem'), await readFile(join(certDir, 'server-cert.pem'), 'utf8'));
        await writeFile(join(mixed, 'server-key.pem'), other.keyPem);
        const fresh = await startTestSimulator({ certDir: mixed });
        assert.notEqual(fresh.caPem, other.caPem);
        assert.equal(await fetchStatus(httpsGet, `${fresh.restUrl}/keys/public.pem`, { ca: fresh.caPem }), 200);
        await fresh.close();
      } finally {
        await rm(mixed, { recursive: true, force: true });
      }
    });

    it('removes a temp cert dir it created itself on close', async () => {
      const own = await startTestSimulator();
      const dir = own.caPath!.replace(/[/\\]ca\.pem$/, '');
      assert.ok((await stat(dir)).isDirectory());
      await own.close();
      await assert.rejects(stat(dir), { code: 'ENOENT' });
    });
  });

  it('serves plain HTTP and ws:// endpoints with tls: false', async () => {
    const sim = await startTestSimulator({ tls: false });
    try {
      assert.match(sim.restUrl, /^http:\/\//);
      assert.equal(sim.caPem, undefined);
      assert.equal(sim.caPath, undefined);
      assert.equal(await fetchStatus(httpGet, `${sim.restUrl}/keys/public.pem`), 200);
    } finally {
      await sim.close();
    }
  });
});
