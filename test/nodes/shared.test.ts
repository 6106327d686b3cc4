// Unit tests of the node helpers that need no server: throttled status, env substitution, labels,
// producer summaries, client options from dialog values.
import assert from 'node:assert/strict';
import { summarizeProducer } from '../../nodes/avaya-analytics-server/producer-summary';
import { buildClientOptions, SettingsError } from '../../nodes/avaya-analytics-server/client-options';
import { dictionaryLabels } from '../../nodes/avaya-analytics-dictionary/labels';
import { subscribeStatus, type SubscribeView } from '../../nodes/avaya-analytics-subscribe/subscribe-status';
import { substituteEnv } from '../../nodes/shared/env';
import type { NodeRedApi, NodeStatus } from '../../nodes/shared/node-red';
import { ThrottledStatus } from '../../nodes/shared/throttled-status';
import { isDimDataKind, isLocale, isProducerId } from '../../nodes/shared/vocabulary';
import { requireFromNodeRed } from '../helpers/node-red-selection';
import { FakeClock } from '../helpers/fake-clock';

// The runtime's own getSetting (flow/global env, then process.env).
const util = requireFromNodeRed<{ util: NodeRedApi['util'] }>('@node-red/util').util;

/** Just enough of RED for the option builder: real util, and tls-config nodes by id. */
function fakeRed(nodes: Record<string, unknown> = {}): NodeRedApi {
  return { util, nodes: { getNode: (id: string) => nodes[id] ?? null } } as unknown as NodeRedApi;
}

describe('nodes/shared', () => {
  describe('ThrottledStatus', () => {
    let clock: FakeClock;
    beforeEach(() => {
      clock = new FakeClock();
    });

    it('shows the first status at once and coalesces a burst into one more, carrying the latest state', () => {
      const shown: NodeStatus[] = [];
      let count = 0;
      const status = new ThrottledStatus(
        { status: (s) => shown.push(s) },
        () => ({ fill: 'green', text: `n=${count}` }),
        50,
        clock,
      );
      count = 1;
      status.update();
      for (let i = 0; i < 10_000; i++) {
        count++;
        status.update();
      }
      assert.equal(shown.length, 1, 'a burst must not redraw the status per message');
      assert.equal(shown[0]!.text, 'n=1');
      clock.advance(49);
      assert.equal(shown.length, 1, 'not before the interval');
      clock.advance(1);
      assert.equal(shown.length, 2);
      assert.equal(shown[1]!.text, 'n=10001');
      status.dispose();
    });

    it('skips a status identical to the one shown and stops for good after dispose()', () => {
      const shown: NodeStatus[] = [];
      let built = 0;
      const status = new ThrottledStatus(
        { status: (s) => shown.push(s) },
        () => {
          built++;
          return { fill: 'grey', text: 'same' };
        },
        10,
        clock,
      );
      status.update();
      clock.advance(20);
      status.update();
      assert.equal(built, 2, 'built again after the interval');
      assert.equal(shown.length, 1, 'but not shown: identical');
      status.dispose();
      status.update();
      clock.advance(20);
      assert.equal(shown.length, 1);
      assert.equal(built, 2, 'nothing built after dispose()');
    });

    it('cancels a pending redraw on dispose() (no timer outlives the node)', () => {
      const shown: NodeStatus[] = [];
      let n = 0;
      const status = new ThrottledStatus({ status: (s) => shown.push(s) }, () => ({ text: String(++n) }), 30, clock);
      status.update();
      status.update(); // schedules a redraw
      assert.equal(clock.pending, 1);
      status.dispose();
      assert.equal(clock.pending, 0, 'the timer is cleared');
      clock.advance(50);
      assert.equal(shown.length, 1);
    });
  });

  describe('substituteEnv', () => {
    it('replaces embedded and whole ${VAR} references; unknown names become empty', () => {
      process.env.AA_TEST_HOST = '10.0.0.5';
      try {
        const RED = fakeRed();
        assert.equal(
          substituteEnv(RED, null, 'https://${AA_TEST_HOST}/orca-streams-rest'),
          'https://10.0.0.5/orca-streams-rest',
        );
        assert.equal(substituteEnv(RED, null, '${AA_TEST_HOST}'), '10.0.0.5');
        assert.equal(substituteEnv(RED, null, 'a${AA_TEST_NOT_SET_ANYWHERE}b'), 'ab');
        assert.equal(substituteEnv(RED, null, 'no references $ { here'), 'no references $ { here');
      } finally {
        delete process.env.AA_TEST_HOST;
      }
    });
  });

  describe('buildClientOptions', () => {
    const base = { url: 'https://127.0.0.1:1/orca-streams-rest', username: 'supervisor1', password: 'password1' };

    it('fills defaults: tenant "0", 8 s heartbeats, no token verification', () => {
      const o = buildClientOptions(fakeRed(), null, base);
      assert.equal(o.tenant, '0');
      assert.equal(o.heartbeatIntervalMs, 8000);
      assert.deepEqual(o.tokenVerification, { kind: 'none' });
      assert.equal(o.tls, undefined);
    });

    it('substitutes env variables in text fields and credentials, keeping spaces inside a password', () => {
      process.env.AA_TEST_PW = ' pass word ';
      try {
        const o = buildClientOptions(fakeRed(), null, { ...base, password: '${AA_TEST_PW}' });
        assert.equal(o.password, ' pass word ');
      } finally {
        delete process.env.AA_TEST_PW;
      }
    });

    it('reads a tls-config node through its addTLSOptions()', () => {
      const tls = {
        valid: true,
        addTLSOptions: (o: object) => Object.assign(o, { ca: 'CA-PEM', rejectUnauthorized: false }),
      };
      const o = buildClientOptions(fakeRed({ t1: tls }), null, { ...base, tls: 't1' });
      assert.deepEqual(o.tls, { ca: 'CA-PEM', rejectUnauthorized: false });
    });

    it('names the missing or wrong setting with an i18n key', () => {
      const key = (settings: object): string => {
        try {
          buildClientOptions(fakeRed(), null, { ...base, ...settings });
        } catch (err) {
          assert.ok(err instanceof SettingsError);
          return err.key;
        }
        return 'no error';
      };
      assert.equal(key({ url: '' }), 'avaya-analytics-server.errors.missing-url');
      assert.equal(key({ username: '  ' }), 'avaya-analytics-server.errors.missing-username');
      assert.equal(key({ password: '' }), 'avaya-analytics-server.errors.missing-password');
      assert.equal(key({ url: 'http://10.0.0.5/orca-streams-rest' }), 'avaya-analytics-server.errors.cleartext');
      assert.equal(key({ url: 'http://10.0.0.5/orca-streams-rest', allowCleartext: true }), 'no error');
      assert.equal(key({ heartbeat: 'fast' }), 'avaya-analytics-server.errors.bad-heartbeat');
      assert.equal(key({ heartbeat: 0 }), 'avaya-analytics-server.errors.bad-heartbeat');
      assert.equal(
        key({ tokenVerification: 'pem', tokenKey: 'not a pem' }),
        'avaya-analytics-server.errors.missing-token-key',
      );
      assert.equal(key({ tokenVerification: 'jwks', jwksUrl: '' }), 'avaya-analytics-server.errors.missing-jwks-url');
      assert.equal(
        key({ tokenVerification: 'jwks', jwksUrl: 'http://10.0.0.5/jwks.json' }),
        'avaya-analytics-server.errors.missing-jwks-url',
        'keys over clear text prove nothing',
      );
      assert.equal(key({ tokenVerification: 'magic' }), 'avaya-analytics-server.errors.bad-token-verification');
      assert.equal(key({ tls: 'missing-node' }), 'avaya-analytics-server.errors.tls-not-deployed');
      assert.equal(key({ tls: 'bad' }), 'avaya-analytics-server.errors.tls-not-deployed');
    });

    it('refuses an invalid tls-config node', () => {
      const tls = { valid: false, addTLSOptions: (o: object) => o };
      assert.throws(() => buildClientOptions(fakeRed({ t1: tls }), null, { ...base, tls: 't1' }), {
        key: 'avaya-analytics-server.errors.tls-invalid',
      });
    });
  });

  describe('dictionaryLabels', () => {
    it('maps names to display names of dimensions and measures, falling back to the name', () => {
      const { map, count } = dictionaryLabels({
        dimensions: [{ name: 'agentId', displayName: 'Agent' }],
        measures: [
          { name: 'agentState', displayName: 'Agent state' },
          { name: 'offered' },
          { displayName: 'nameless' },
          null,
          7,
        ],
      });
      assert.deepEqual({ ...map }, { agentId: 'Agent', agentState: 'Agent state', offered: 'offered' });
      assert.equal(count, 3);
    });

    it('keeps hostile names as plain keys (no prototype pollution)', () => {
      const { map } = dictionaryLabels({
        measures: [
          { name: '__proto__', displayName: 'x' },
          { name: 'constructor', displayName: 'y' },
        ],
      });
      assert.equal(Object.getPrototypeOf(map), null);
      assert.equal(map['__proto__'], 'x');
      assert.equal(map['constructor'], 'y');
      assert.equal(({} as Record<string, unknown>).x, undefined);
    });

    it('returns an empty map for anything that is not a dictionary', () => {
      for (const bad of [null, 'text', 42, [], { measures: 'no' }]) assert.equal(dictionaryLabels(bad).count, 0);
    });
  });

  describe('summarizeProducer', () => {
    it('reduces a descriptor to ids, names, dimensions, measures and locales', () => {
      const s = summarizeProducer({
        header: { sourceId: 'S', producerId: 'Agent_SoD_3.5', producerName: 'Agent', description: 'd', version: '3.5' },
        dimensions: [{ name: 'agentId', displayName: 'Agent Id' }],
        measures: [{ name: 'offered', type: 'NUMBER', displayName: 'Offered' }, { type: 'NUMBER' }],
        locales: ['de', 3, 'ja'],
      });
      assert.deepEqual(s, {
        producerId: 'Agent_SoD_3.5',
        producerName: 'Agent',
        sourceId: 'S',
        description: 'd',
        dimensions: [{ name: 'agentId', displayName: 'Agent Id' }],
        measures: [{ name: 'offered', displayName: 'Offered', type: 'NUMBER' }],
        locales: ['de', 'ja'],
      });
    });

    it('tolerates garbage', () => {
      assert.equal(summarizeProducer(null).producerId, '');
      assert.deepEqual(summarizeProducer({ dimensions: 'x', measures: [1, 2] }).measures, []);
    });
  });

  describe('subscribeStatus', () => {
    const keyOf = (v: Partial<SubscribeView>): string =>
      subscribeStatus((key, subs) => (subs && 'count' in subs ? `${key}|${String(subs.count)}` : key), {
        problem: null,
        wanted: true,
        subscription: 'pending',
        connection: 'connecting',
        count: 3,
        ...v,
      }).text!;
    const K = 'avaya-analytics-subscribe.status.';

    it('follows the subscription, with the message count where it matters', () => {
      assert.equal(keyOf({ subscription: null }), K + 'connecting');
      assert.equal(keyOf({ subscription: null, wanted: false }), K + 'unsubscribed');
      assert.equal(keyOf({}), K + 'connecting');
      assert.equal(keyOf({ subscription: 'subscribed', connection: 'connected' }), K + 'subscribed|3');
      assert.equal(keyOf({ subscription: 'ready', connection: 'ready' }), K + 'ready|3');
      assert.equal(keyOf({ subscription: 'failed' }), K + 'failed');
      assert.equal(keyOf({ subscription: 'closed' }), K + 'unsubscribed');
    });

    it('lets connection trouble and configuration problems outrank a ready subscription', () => {
      assert.equal(keyOf({ subscription: 'ready', connection: 'stale' }), K + 'stale|3');
      assert.equal(keyOf({ subscription: 'ready', connection: 'disconnected' }), K + 'disconnected|3');
      assert.equal(keyOf({ subscription: 'ready', connection: 'auth-failed' }), K + 'auth-failed');
      assert.equal(keyOf({ subscription: 'ready', problem: 'bad url' }), K + 'error');
    });
  });

  describe('vocabulary', () => {
    it("accepts the guide's locales, kinds and producer ids only", () => {
      assert.ok(isLocale('pt_BR') && isLocale('zh-tw') && !isLocale('en') && !isLocale('__proto__'));
      assert.ok(isDimDataKind('GroupMember') && !isDimDataKind('agent') && !isDimDataKind(undefined));
      assert.ok(isProducerId('Agent_SoD_3.5') && isProducerId('ContactDetail_CDR_3.5'));
      assert.ok(!isProducerId('../sources') && !isProducerId('') && !isProducerId('a b') && !isProducerId(5));
    });
  });
});
