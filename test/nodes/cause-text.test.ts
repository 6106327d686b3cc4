// nodes/avaya-analytics-server/cause-text.ts: a fault's short status in the runtime's language, read from
// the real catalogs (en-US, de, ja) with Node-RED's __value__ substitution.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultKind } from '../../lib/api';
import { makeCause } from '../../lib/client/cause';
import { translateCause } from '../../nodes/avaya-analytics-server/cause-text';
import type { NodeRedApi } from '../../nodes/shared/node-red';
import { REPO } from '../helpers/node-red-process';

/** RED._ over one locale's catalog of the server node. */
function redIn(locale: string): NodeRedApi {
  const catalog = JSON.parse(
    readFileSync(join(REPO, 'locales', locale, 'avaya-analytics-server.json'), 'utf8'),
  ) as Record<string, unknown>;
  const translate = (key: string, values: Record<string, string | number> = {}): string => {
    let node: unknown = catalog;
    for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
    if (typeof node !== 'string') return key;
    return node.replace(/__(\w+)__/g, (_m, name: string) => String(values[name] ?? ''));
  };
  return { _: translate } as unknown as NodeRedApi;
}

describe('nodes/avaya-analytics-server cause-text', () => {
  const status = (locale: string, kind: FaultKind, value?: string | number): string =>
    translateCause(redIn(locale), makeCause(kind, 'detail', value));

  it("shows the code of a network error, and a dropped connection in words rather than undici's code", () => {
    assert.equal(status('en-US', 'network', 'ECONNREFUSED'), 'ECONNREFUSED');
    assert.equal(status('en-US', 'network', 'UND_ERR_SOCKET'), 'connection dropped');
    assert.equal(status('de', 'network', 'UND_ERR_SOCKET'), 'Verbindung abgebrochen');
    assert.equal(status('ja', 'network', 'UND_ERR_SOCKET'), '接続が切断されました');
  });

  it('translates with the value in every locale', () => {
    for (const locale of ['en-US', 'de', 'ja']) {
      assert.match(status(locale, 'http', 404), /404/);
      assert.match(status(locale, 'proxy', 407), /407/);
      assert.doesNotMatch(status(locale, 'login-refused'), /avaya-analytics-server\./, `${locale}: a raw key`);
    }
  });

  it('has a text for every kind in every locale (the Record makes the compiler list them all)', () => {
    const kinds: Record<FaultKind, true> = {
      'tls-untrusted': true,
      'tls-hostname': true,
      'tls-expired': true,
      tls: true,
      http: true,
      'login-refused': true,
      'wrong-path': true,
      'bad-token': true,
      timeout: true,
      network: true,
      protocol: true,
      'no-source': true,
      'body-too-large': true,
      'server-error': true,
      'frame-too-large': true,
      'bad-frames': true,
      'dropped-input': true,
      'insecure-endpoint': true,
      'foreign-endpoint': true,
      handshake: true,
      'no-heartbeat': true,
      closed: true,
      'by-flow': true,
      proxy: true,
    };
    for (const locale of ['en-US', 'de', 'ja']) {
      for (const kind of Object.keys(kinds) as FaultKind[]) {
        const key = `avaya-analytics-server.cause.${kind}`;
        assert.notEqual(redIn(locale)._(key), key, `${locale} has no text for ${kind}`);
      }
    }
    assert.equal(status('de', 'wrong-path', 404), 'HTTP 404: falscher Pfad');
  });
});
