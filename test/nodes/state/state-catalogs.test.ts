// The state node's editor files: every message key the code and the edit dialog use exists in the
// en-US, de and ja catalogs, the translations are real, and the help follows the style guide.
import { catalogLeaves } from '../../helpers/catalog-leaves';
import { editorDefinitions } from '../../helpers/editor-definitions';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..'); // dist/test/nodes/state → repository root
const T = 'avaya-analytics-state';
const LANGS = ['en-US', 'de', 'ja'];

function read(...parts: string[]): string {
  return readFileSync(path.join(ROOT, ...parts), 'utf8');
}

const catalogs = new Map(
  LANGS.map((lang) => [lang, catalogLeaves(JSON.parse(read('locales', lang, `${T}.json`)) as Record<string, unknown>)]),
);

/**
 * Keys the runtime code asks for: literal ones, warn.<problem> of the config, errors.<key> of
 * CommandError, and errors.<code> of every FlowMessageError the message contract throws.
 */
function keysUsedByCode(): Set<string> {
  const dir = path.join(ROOT, 'nodes', T);
  const keys = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(path.join(dir, file), 'utf8');
    for (const m of source.matchAll(/`\$\{TYPE\}\.([a-z-]+\.[a-z-]+)`/g)) keys.add(`${T}.${m[1]}`);
    for (const m of source.matchAll(/problems\.push\(\s*'([a-z-]+)'\)/g)) keys.add(`${T}.warn.${m[1]}`);
    for (const m of source.matchAll(/new CommandError\(\s*'([a-z-]+)'/g)) keys.add(`${T}.errors.${m[1]}`);
  }
  const contract = readFileSync(path.join(ROOT, 'lib', 'flow-messages.ts'), 'utf8');
  for (const m of contract.matchAll(/new FlowMessageError\(\s*'([a-z-]+)'/g)) keys.add(`${T}.errors.${m[1]}`);
  return keys;
}

describe('avaya-analytics-state editor files', () => {
  it('has every key the code uses in all three catalogs, and the same keys in each', () => {
    const used = keysUsedByCode();
    assert.ok(used.size >= 20, `found only ${used.size} keys: the scan is broken`);
    for (const [lang, catalog] of catalogs) {
      for (const key of used) assert.ok(catalog.has(key), `${lang} lacks ${key}`);
      assert.deepEqual(
        [...catalog.keys()].sort(),
        [...catalogs.get('en-US')!.keys()].sort(),
        `${lang} keys differ from en-US`,
      );
    }
  });

  it('has every key of the edit dialog and the node definition in the catalogs', () => {
    const html = read('nodes', T, `${T}.html`);
    const keys = [...html.matchAll(/(?:data-i18n="(?:\[[a-z]+\])?|this\._\(")([a-zA-Z-]+\.[a-zA-Z.-]+)"/g)].map(
      (m) => m[1] ?? '',
    );
    assert.ok(keys.length >= 20, `found only ${keys.length} keys`);
    for (const [lang, catalog] of catalogs) for (const key of keys) assert.ok(catalog.has(key), `${lang} lacks ${key}`);
  });

  it('is really translated into German and Japanese', () => {
    const en = catalogs.get('en-US')!;
    for (const lang of ['de', 'ja']) {
      const catalog = catalogs.get(lang)!;
      const same = [...en].filter(([key, text]) => catalog.get(key) === text).map(([key]) => key);
      assert.ok(same.length <= 3, `${lang} leaves ${same.length} texts in English: ${same.join(', ')}`);
      for (const [key, text] of en) {
        const placeholders = (s: string) => [...s.matchAll(/__[a-z]+__/g)].map((m) => m[0]).sort();
        assert.deepEqual(placeholders(catalog.get(key)!), placeholders(text), `${lang} ${key} placeholders`);
      }
    }
    assert.match(catalogs.get('ja')!.get(`${T}.status.waiting`)!, /[\u3040-\u30ff]/);
  });

  it('has a help panel per language in the style guide format', () => {
    const headings: Record<string, string[]> = {
      'en-US': ['Properties', 'Inputs', 'Outputs', 'Details', 'References'],
      de: ['Eigenschaften', 'Eingänge', 'Ausgaben', 'Details', 'Referenzen'],
      ja: ['プロパティ', '入力', '出力', '詳細', '参考'],
    };
    for (const lang of LANGS) {
      const help = read('locales', lang, `${T}.html`);
      assert.match(
        help,
        new RegExp(`<script type="text/html" data-help-name="${T}">\\s*<p>`),
        `${lang}: starts with the summary paragraph`,
      );
      assert.deepEqual(
        [...help.matchAll(/<h3>([^<]+)<\/h3>/g)].map((m) => m[1]),
        headings[lang],
        `${lang} sections`,
      );
      assert.match(help, /<dl class="message-properties">/);
      for (const prop of ['payload', 'topic', 'changed', 'previous', 'eventAction', 'synced', 'labels', 'action']) {
        assert.ok(
          help.includes(`<dt>${prop} `) || help.includes(`<dt class="optional">${prop} `),
          `${lang} help documents ${prop}`,
        );
      }
    }
  });

  it('registers in the Avaya Analytics category with version 1 and its own icon', () => {
    const html = read('nodes', T, `${T}.html`);
    assert.match(html, /category: "Avaya Analytics"/);
    assert.equal(editorDefinitions(T).get(T)?.defaults.version?.value, 1, 'the built editor registers version 1');
    assert.match(html, new RegExp(`icon: "${T}\\.svg"`));
    assert.ok(existsSync(path.join(ROOT, 'icons', `${T}.svg`)));
    assert.match(read('icons', `${T}.svg`), /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const pkg = JSON.parse(read('package.json')) as { 'node-red': { nodes: Record<string, string> } };
    assert.equal(pkg['node-red'].nodes[T], `dist/nodes/${T}/${T}.js`);
  });
});
