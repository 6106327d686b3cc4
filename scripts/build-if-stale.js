'use strict';
// `npm start` calls this: build only when dist/ is missing or older than any source, so a second start is instant.
const fs = require('node:fs');
const path = require('node:path');
const { execSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const stamp = path.join(root, 'dist', '.build-stamp');
const sourceDirs = ['lib', 'nodes', 'simulator', 'scripts', 'locales', 'icons', 'examples', 'bench', 'test'];

function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
const sources = Math.max(
  ...sourceDirs.map((d) => newestMtime(path.join(root, d))),
  fs.statSync(path.join(root, 'tsconfig.json')).mtimeMs,
);
if (sources > built) {
  process.stdout.write('Building (sources changed since the last build)…\n');
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
}
