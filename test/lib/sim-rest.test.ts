// Every REST call of the client against the real simulator over HTTPS with its CA; TLS trust and token
// verification (PEM, JWKS incl. a key rotation).
import assert from 'node:assert/strict';
import { createRestClient, DIMDATA_KINDS, LOCALES, TlsError, TokenError } from '../../lib/index';
import type { AnalyticsRestClient, StateEvent } from '../../lib/index';
import { generateCertificates } from '../../simulator/tls/certificates';
import { Lab } from '../helpers/sim-clients';
import { waitForEvent } from '../helpers/wait';

describe('lib REST client against the simulator', function () {
  this.timeout(30_000);
  const lab = new Lab();
  const rests: AnalyticsRestClient[] = [];
  const rest = (
    extra: Parameters<typeof createRestClient>[0] extends infer O ? Partial<O> : never = {},
  ): AnalyticsRestClient => {
    const c = createRestClient({
      url: lab.sim.restUrl,
      username: 'supervisor1',
      password: 'password1',
      tls: { ca: lab.sim.caPem },
      requestSpacingMs: 5,
      ...extra,
    });
    rests.push(c);
    return c;
  };

  before(async () => {
    await lab.start({ rate: 0 });
  });
  after(async () => {
    for (const c of rests) await c.close();
    await lab.closeAll();
  });

  it('logs in, lists sources and producers', async () => {
    const c = rest();
    const me = await c.login();
    assert.equal(me.subject, 'supervisor1');
    assert.ok(me.expiresAt > Date.now() + 3600_000);
    const sources = (await c.sources()) as Array<{ sourceId: string }>;
    assert.equal(sources[0]?.sourceId, 'Oceana_Streams_127.0.0.1_3.5');
    const producers = (await c.producers()) as Array<{ header: { producerId: string } }>;
    const ids = producers.map((p) => p.header.producerId);
    for (const id of [
      'Agent_SoD_3.5',
      'AgentGroup_SoD_3.5',
      'VDN_SoD_3.5',
      'ContactDetail_CDR_3.5',
      'RoutingServiceGroup_SoD_3.5',
      'Admin_Admin_3.5',
    ]) {
      assert.ok(ids.includes(id), id);
    }
    assert.equal(lab.sim.control.stats().users.supervisor1?.logins, 1, 'one login serves every call');
  });

  it('fetches the dictionary in all eleven locales', async () => {
    const c = rest();
    for (const locale of LOCALES) {
      const d = (await c.dictionary('Agent_SoD_3.5', locale)) as { locale: string; measures: unknown[] };
      assert.equal(d.locale, locale);
      assert.ok(d.measures.length > 10, locale);
    }
    await assert.rejects(
      c.dictionary('Agent_SoD_3.5', 'xx-yy'),
      (e: unknown) => (e as { status?: number }).status === 404 || (e as { status?: number }).status === 400,
    );
  });

  it('fetches the nine kinds of dimension data', async () => {
    const c = rest();
    for (const kind of DIMDATA_KINDS) {
      const rows = await c.dimdata(kind);
      assert.ok(Array.isArray(rows) && rows.length > 0, kind);
    }
    await assert.rejects(c.dimdata('Nope'), (e: unknown) => (e as { status?: number }).status === 404);
  });

  it('reports a wrong CA as a TLS error with a clear message', async () => {
    const err = await rest({ tls: { ca: generateCertificates().caPem } })
      .login()
      .catch((e: unknown) => e);
    assert.ok(err instanceof TlsError, String(err));
    assert.match(err.message, /^TLS: .*Configure the CA certificate/);
  });

  it('verifies the token with the PEM public key and refuses a different key', async () => {
    assert.equal(
      (await rest({ tokenVerification: { kind: 'pem', key: lab.sim.publicKeyPem } }).login()).subject,
      'supervisor1',
    );
    const { privateKey } = await import('node:crypto').then((c) =>
      c.generateKeyPairSync('rsa', { modulusLength: 2048 }),
    );
    const foreign = (await import('node:crypto'))
      .createPublicKey(privateKey)
      .export({ format: 'pem', type: 'spki' }) as string;
    await assert.rejects(rest({ tokenVerification: { kind: 'pem', key: foreign } }).login(), TokenError);
  });

  it('verifies over JWKS and follows a key rotation (unknown kid → refetch)', async () => {
    const lab2 = new Lab();
    await lab2.start({ rate: 0 });
    try {
      const client = lab2.client({
        tokenVerification: { kind: 'jwks', url: `${lab2.sim.restUrl}/.well-known/jwks.json` },
      });
      const sub = client.subscribe('VDN_SoD_3.5');
      await waitForEvent<StateEvent>(client, 'state', (s) => s.state === 'ready');
      const oldKey = lab2.sim.publicKeyPem;
      const states: StateEvent[] = [];
      client.on('state', (s: StateEvent) => states.push(s));
      await lab2.sim.control.restart(); // new signing key and kid, sockets closed, subscriptions forgotten
      assert.notEqual(lab2.sim.publicKeyPem, oldKey);
      await waitForEvent<StateEvent>(client, 'state', (s) => s.state === 'ready', 15_000);
      assert.ok(!states.some((s) => s.state === 'auth-failed'), JSON.stringify(states));
      assert.equal(sub.state, 'ready');
    } finally {
      await lab2.closeAll();
    }
  });
});
