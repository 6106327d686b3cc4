'use strict';
// Node-RED looks for a node's editor HTML, locales/<lang>/<type>.{json,html} and icons/ beside the node's .js.
// Sources keep them in nodes/<type>/<type>.html, locales/<lang>/<type>.* and icons/; this copies them into dist/nodes/<type>/.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const nodesSrc = path.join(root, 'nodes');
const localesSrc = path.join(root, 'locales');
const iconsSrc = path.join(root, 'icons');
const nodesOut = path.join(root, 'dist', 'nodes');

function copyFile(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

function listDirs(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
}

const nodeTypes = listDirs(nodesSrc).filter((t) => fs.existsSync(path.join(nodesSrc, t, `${t}.html`)));
const languages = listDirs(localesSrc);
const icons = fs.existsSync(iconsSrc) ? fs.readdirSync(iconsSrc).filter((f) => /\.(svg|png)$/.test(f)) : [];

// Every editor reads its patterns, ranges and locales from one generated script block (built from the compiled
// TypeScript that the runtime checks with: nodes/shared/editor-constants.ts), put before its own code; each file gets
// it, so no editor depends on the order Node-RED loads them in. Its `DEFAULT.<name>` and `SCHEMA_VERSION` become the
// literals of nodes/shared/schemas.ts.
const { editorConstantsScript, withSchemaDefaults } = require(path.join(nodesOut, 'shared', 'editor-constants.js'));
const constantsBlock = editorConstantsScript();

for (const type of nodeTypes) {
  const out = path.join(nodesOut, type);
  const html = fs.readFileSync(path.join(nodesSrc, type, `${type}.html`), 'utf8');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, `${type}.html`), constantsBlock + withSchemaDefaults(type, html));
  for (const lang of languages) {
    for (const ext of ['json', 'html']) {
      const from = path.join(localesSrc, lang, `${type}.${ext}`);
      if (fs.existsSync(from)) copyFile(from, path.join(out, 'locales', lang, `${type}.${ext}`));
    }
  }
  // Each node folder gets the icons its editor names (Node-RED serves a module's icons to all of its types anyway).
  for (const icon of icons.filter((name) => html.includes(`"${name}"`)))
    copyFile(path.join(iconsSrc, icon), path.join(out, 'icons', icon));
}
process.stdout.write(
  `copy-assets: ${nodeTypes.length} node type(s), ${languages.length} locale(s), ${icons.length} icon(s)\n`,
);
// Marks a complete build for scripts/build-if-stale.js (npm start).
fs.writeFileSync(path.join(root, 'dist', '.build-stamp'), new Date().toISOString() + '\n');
