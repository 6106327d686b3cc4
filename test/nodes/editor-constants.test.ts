// The editors' constants come from the TypeScript sources at build time (nodes/shared/editor-constants.ts,
// scripts/copy-assets.js): the built .html holds exactly them, and no editor source holds a copy of its own.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { EDITOR_CONSTANTS } from '../../nodes/shared/editor-constants';
import { CONFIG_SCHEMAS } from '../../nodes/shared/schemas';
import { editorDefinitions, editorHtmlPath, scriptBlocks } from '../helpers/editor-definitions';
import { REPO } from '../helpers/node-red-process';

const TYPES = Object.keys(CONFIG_SCHEMAS) as Array<keyof typeof CONFIG_SCHEMAS>;

describe('editor constants generated from the sources', () => {
  it('every node type has an editor file', () => {
    const dirs = readdirSync(join(REPO, 'nodes')).filter((d) => d.startsWith('avaya-analytics-'));
    assert.deepEqual(dirs.sort(), [...TYPES].sort());
  });

  for (const type of TYPES) {
    it(`${type}: the built editor defines the constants of the TypeScript sources`, () => {
      const first = scriptBlocks(readFileSync(editorHtmlPath(type), 'utf8'))[0] ?? '';
      const window: Record<string, unknown> = {};
      runInNewContext(first, { window, JSON });
      const defined = window.avayaAnalyticsEditorConstants as Record<string, unknown> | undefined;
      assert.ok(defined, 'the first script block defines window.avayaAnalyticsEditorConstants');
      const data = JSON.parse(JSON.stringify(defined)) as unknown; // functions dropped: the data alone
      assert.deepEqual(data, JSON.parse(JSON.stringify(EDITOR_CONSTANTS)));
    });

    it(`${type}: the editor's defaults and version are the schema's`, () => {
      const def = editorDefinitions(type).get(type);
      assert.ok(def, `${type} is registered`);
      const values = Object.fromEntries(Object.entries(def.defaults).map(([k, d]) => [k, d.value]));
      const schema = CONFIG_SCHEMAS[type];
      // Through JSON: the editor's arrays come from the sandbox's realm.
      assert.deepEqual(JSON.parse(JSON.stringify(values)), { ...schema.defaults, version: schema.version });
    });

    it(`${type}: the editor source holds no copy of a constant`, () => {
      const source = readFileSync(join(REPO, 'nodes', type, `${type}.html`), 'utf8');
      const copies = [
        /A-Za-z0-9_\.-/, // the producer-id pattern
        /A-Za-z0-9_\]/, // the store name / context key patterns
        /"en-us",\s*"es"/, // the locales
        /"GroupMember"/, // the dimension-data kinds
        /__PWRD__/, // the stored-password placeholder
        /max="\d+"/, // a range in the markup
        /version:\s*\{\s*value:\s*\d/, // a copied schema version
        /^\s+\w+: \{ value: (?!DEFAULT\.|SCHEMA_VERSION)/m, // a property default not taken from the schema
        /^\s+value: (?!DEFAULT\.)/m, // the same, on a line of its own
      ];
      for (const copy of copies) assert.doesNotMatch(source, copy);
    });
  }

  it('the validators in the generated block follow the runtime patterns and ranges', () => {
    const first = scriptBlocks(readFileSync(editorHtmlPath('avaya-analytics-server'), 'utf8'))[0] ?? '';
    const window: Record<string, unknown> = {};
    runInNewContext(first, { window, JSON });
    const C = window.avayaAnalyticsEditorConstants as {
      matches(name: string, value: unknown, emptyOk?: boolean): boolean;
      inRange(name: string, value: unknown, emptyOk?: boolean): boolean;
    };
    assert.equal(C.matches('producerId', 'Agent_SoD_3.5'), true);
    assert.equal(C.matches('producerId', 'A'.repeat(129)), false, 'bounded as in nodes/shared/vocabulary.ts');
    assert.equal(C.matches('producerId', ''), false);
    assert.equal(C.matches('producerId', '', true), true);
    assert.equal(C.inRange('heartbeat', '300'), true);
    assert.equal(C.inRange('heartbeat', '301'), false);
    assert.equal(C.inRange('heartbeat', ''), false);
    assert.equal(C.inRange('faultRetryMax', '4'), false);
    assert.equal(C.inRange('faultRetryMax', '', true), true);
  });
});
