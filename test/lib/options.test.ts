import assert from 'node:assert/strict';
import type { ClientOptions } from '../../lib/api';
import { realClock } from '../../lib/clock';
import { DEFAULTS, resolveOptions } from '../../lib/options';
import type { ExtraClientOptions } from '../../lib/options';
import { FakeClock } from '../helpers/fake-clock';

const base: ClientOptions = { url: 'https://h/orca-streams-rest/', username: ' user ', password: 'p' };
const resolve = (extra: Partial<ClientOptions & ExtraClientOptions>): ReturnType<typeof resolveOptions> =>
  resolveOptions({ ...base, ...extra });

describe('lib/options resolveOptions', () => {
  it('fills every default and trims url and username', () => {
    const o = resolve({});
    assert.equal(o.url, 'https://h/orca-streams-rest');
    assert.equal(o.username, 'user');
    assert.equal(o.tenant, DEFAULTS.tenant);
    assert.equal(o.tls.rejectUnauthorized, true);
    assert.deepEqual(o.tokenVerification, { kind: 'none' });
    assert.deepEqual(
      [o.connectMs, o.headersMs, o.bodyMs, o.handshakeMs, o.requestMs],
      [DEFAULTS.connectMs, DEFAULTS.headersMs, DEFAULTS.bodyMs, DEFAULTS.handshakeMs, DEFAULTS.requestMs],
    );
    assert.deepEqual(o.backoff, {
      floorMs: DEFAULTS.backoffFloorMs,
      capMs: DEFAULTS.backoffCapMs,
      stableMs: DEFAULTS.backoffStableMs,
    });
    assert.deepEqual(o.faultBackoff, { floorMs: DEFAULTS.faultBackoffFloorMs, capMs: DEFAULTS.faultBackoffCapMs });
    assert.deepEqual(o.streamHosts, []);
    assert.equal(o.normalize, true);
    assert.equal(o.clock, realClock);
    assert.equal(o.proxy.forUrl('https://h/x'), null, 'no proxy by default');
    assert.doesNotThrow(() => o.logger.error('silent'));
  });

  it('keeps given values: tenant as text, a fake clock, zero spacing, normalize off, TLS verification off', () => {
    const clock = new FakeClock();
    const o = resolve({
      tenant: 7 as unknown as string,
      clock,
      requestSpacingMs: 0,
      tokenRefreshLeadMs: 0,
      normalize: false,
      tls: { rejectUnauthorized: false, ca: 'CA' },
      password: undefined,
    });
    assert.equal(o.tenant, '7');
    assert.equal(o.clock, clock);
    assert.equal(o.requestSpacingMs, 0);
    assert.equal(o.tokenRefreshLeadMs, 0);
    assert.equal(o.normalize, false);
    assert.deepEqual(o.tls, { rejectUnauthorized: false, ca: 'CA' });
    assert.equal(o.password, '');
    assert.equal(resolve({ tenant: '' }).tenant, '0');
  });

  it('refuses an http:// URL unless allowCleartext says so: the password and the token would travel in clear', () => {
    assert.throws(() => resolve({ url: 'http://10.0.0.5/orca-streams-rest' }), /clear text/);
    assert.throws(() => resolve({ url: 'HTTP://10.0.0.5/orca-streams-rest', allowCleartext: false }), /clear text/);
    assert.equal(
      resolve({ url: 'http://10.0.0.5/orca-streams-rest', allowCleartext: true }).url,
      'http://10.0.0.5/orca-streams-rest',
    );
    assert.equal(resolve({ url: 'https://10.0.0.5/orca-streams-rest' }).url, 'https://10.0.0.5/orca-streams-rest');
  });

  it('raises a cap below its floor to the floor', () => {
    const o = resolve({ backoff: { floorMs: 5000, capMs: 10 }, faultBackoff: { floorMs: 9000, capMs: 1 } });
    assert.deepEqual([o.backoff.floorMs, o.backoff.capMs], [5000, 5000]);
    assert.deepEqual([o.faultBackoff.floorMs, o.faultBackoff.capMs], [9000, 9000]);
  });

  it('normalizes stream hosts: trimmed, lower-case, IPv6 without brackets, empty ones dropped', () => {
    assert.deepEqual(resolve({ streamHosts: [' Node2.Example.COM ', '[FE80::1]', ''] }).streamHosts, [
      'node2.example.com',
      'fe80::1',
    ]);
    assert.throws(() => resolve({ streamHosts: 'h' as unknown as string[] }), /streamHosts/);
    assert.throws(() => resolve({ streamHosts: [1] as unknown as string[] }), /streamHosts/);
  });

  it('refuses bad urls and missing credentials with a TypeError naming the option', () => {
    assert.throws(() => resolveOptions(undefined as unknown as ClientOptions), /options are required/);
    assert.throws(() => resolve({ url: '' }), /url is required/);
    assert.throws(() => resolve({ url: 'not a url' }), /not a valid URL/);
    assert.throws(() => resolve({ url: 'ftp://h/x' }), /https:\/\//);
    assert.throws(() => resolve({ url: 'https://h/x?password=1' }), /query string/);
    assert.throws(() => resolve({ url: 'https://h/x#f' }), /fragment/);
    assert.throws(() => resolve({ username: '  ' }), /username is required/);
  });

  it('refuses non-positive, non-finite and non-numeric numbers, and negative ones where 0 is allowed', () => {
    for (const bad of [0, -1, NaN, Infinity, '5' as unknown as number]) {
      assert.throws(() => resolve({ timeouts: { connectMs: bad } }), /timeouts\.connectMs must be a positive number/);
      assert.throws(() => resolve({ maxPayload: bad }), /maxPayload/);
    }
    assert.throws(() => resolve({ requestSpacingMs: -1 }), /requestSpacingMs must be a number ≥ 0/);
    assert.throws(() => resolve({ backoff: { stableMs: -1 } }), /backoff\.stableMs/);
    assert.throws(() => resolve({ closeTimeoutMs: 0 }), /closeTimeoutMs/);
  });

  it('checks the proxy setting', () => {
    assert.ok(resolve({ proxy: { url: 'http://proxy:3128' } }).proxy.forUrl('https://h/x'));
    assert.equal(resolve({ proxy: { url: 'http://proxy:3128', noProxy: ['h'] } }).proxy.forUrl('https://h/x'), null);
    assert.throws(() => resolve({ proxy: 'sometimes' as unknown as 'env' }), /proxy must be/);
    assert.throws(() => resolve({ proxy: { url: ' ' } }), /proxy must be/);
    assert.throws(() => resolve({ proxy: { url: 'http://p', noProxy: 'h' as unknown as string[] } }), /noProxy/);
  });

  it('refuses durations a Node timer cannot wait (over 2^31 − 1 ms fires after 1 ms)', () => {
    assert.equal(resolve({ timeouts: { requestMs: 2_147_483_647 } }).requestMs, 2_147_483_647);
    assert.throws(() => resolve({ timeouts: { requestMs: 3e9 } }), /timeouts\.requestMs must be at most 2147483647 ms/);
    assert.throws(() => resolve({ heartbeatIntervalMs: 3e9 }), /heartbeatIntervalMs must be at most/);
    assert.throws(() => resolve({ backoff: { stableMs: 3e9 } }), /backoff\.stableMs must be at most/);
    assert.equal(resolve({ maxPayload: 3e9 }).maxPayload, 3e9); // a size, not a duration
  });

  it('refuses a password that is not a string; an absent one is empty', () => {
    assert.equal(resolve({ password: undefined }).password, '');
    for (const bad of [1234, true, {}]) {
      assert.throws(() => resolve({ password: bad as unknown as string }), /password must be a string/);
    }
  });

  it('completes a logger that lacks some levels with no-ops, and keeps the levels it has', () => {
    const lines: string[] = [];
    const logger = resolve({
      logger: { warn: (m: string) => lines.push(`warn ${m}`), error: (m: string) => lines.push(`error ${m}`) } as never,
    }).logger;
    assert.doesNotThrow(() => {
      logger.debug('d');
      logger.trace('t');
      logger.info('i');
    });
    logger.warn('w');
    logger.error('e');
    assert.deepEqual(lines, ['warn w', 'error e']);
    assert.throws(() => resolve({ logger: 'console' as never }), /logger must be an object/);
  });
});
