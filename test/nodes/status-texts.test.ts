// nodes/shared/status-texts.ts: a status text made with RED._ once per key, and the values put in place after. It
// must give RED._'s text for every key of every catalog, in every language, whatever the values.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { cachedTranslator } from '../../nodes/shared/status-texts';
import { catalogLeaves } from '../helpers/catalog-leaves';

const run = promisify(execFile);
const CHILD = path.join(__dirname, '..', 'helpers', 'status-texts-child.js');
const LOCALES = path.resolve(__dirname, '..', '..', '..', 'locales'); // dist/test/nodes → repository root

describe('status texts (nodes/shared/status-texts.ts)', function () {
  this.timeout(60_000);

  it('translates each key once, then puts the values where the markers came out', () => {
    const calls: Array<[string, Record<string, unknown> | undefined]> = [];
    const translate = (key: string, substitutions?: Record<string, unknown>): string => {
      calls.push([key, substitutions]);
      let text = `«${key}» count=__count__ of __max__`;
      for (const [name, value] of Object.entries(substitutions ?? {}))
        text = text.split(`__${name}__`).join(String(value));
      return text;
    };
    const text = cachedTranslator(translate);
    assert.equal(text('a.ready', { count: 1, max: 9 }), '«a.ready» count=1 of 9');
    assert.equal(text('a.ready', { count: 2, max: 10 }), '«a.ready» count=2 of 10');
    assert.equal(text('a.ready', { count: null, max: undefined }), '«a.ready» count= of ');
    assert.equal(text('a.ready', { count: '$& $1', max: 0 }), '«a.ready» count=$& $1 of 0');
    assert.equal(calls.length, 1, 'one translation for the key and its names');
    assert.equal(text('a.ready', { count: 3 }), '«a.ready» count=3 of __max__', 'other names: another template');
    assert.equal(text('a.other'), '«a.other» count=__count__ of __max__');
    assert.equal(text('a.other'), '«a.other» count=__count__ of __max__');
    assert.equal(calls.length, 3);
  });

  it("gives Node-RED's RED._ text for every key of every catalog, in each language, with values of every kind", async () => {
    const { stdout } = await run(process.execPath, [CHILD], { timeout: 50_000 });
    const r = JSON.parse(stdout) as {
      compared: number;
      translations: number;
      translated: number;
      mismatches: string[];
      languages: string[];
    };
    assert.deepEqual(r.mismatches, []);
    assert.deepEqual(r.languages.sort(), ['de', 'en-US', 'ja']);
    assert.ok(r.compared > 5000, `only ${r.compared} texts compared: the walk of the catalogs is broken`);
    assert.ok(r.translations < r.compared / 2, `${r.translations} translations for ${r.compared} texts: no caching`);
    // de and ja compared with their own texts, not with a fallback to en-US (which would match whatever the cache did)
    assert.ok(r.translated > 1000, `only ${r.translated} de/ja texts differ from en-US: the languages were not loaded`);
  });

  it('no catalog has plural forms (their text would depend on the count, which a template cannot follow)', () => {
    const plural = /_(zero|one|two|few|many|other|plural)$/;
    let keys = 0;
    for (const lang of readdirSync(LOCALES))
      for (const file of readdirSync(path.join(LOCALES, lang)).filter((f) => f.endsWith('.json'))) {
        const catalog = JSON.parse(readFileSync(path.join(LOCALES, lang, file), 'utf8')) as Record<string, unknown>;
        for (const key of catalogLeaves(catalog).keys()) {
          keys++;
          // every level of the key: an object's name as well as the text's
          for (const name of key.split('.')) assert.doesNotMatch(name, plural, `${lang}/${file} ${key}`);
        }
      }
    assert.ok(keys > 500, `only ${keys} keys walked`);
  });
});
