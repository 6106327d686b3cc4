'use strict';
// What the published tarball may hold, and what it must hold. `node scripts/check-package.js` (CI: .ci/run) runs
// `npm publish --dry-run --json` here (its prepack builds dist/ afresh) and checks the file list it reports;
// test/release/packed-install.test.ts checks the tarball it packs from a clean copy with checkPackage().
//
// Budget (now 350 files, 381 kB packed, 1.34 MB unpacked): some 15 % of headroom for growth, while an
// accidental dist/test or source-map inclusion (each over 100 kB packed) still breaks it. FORBIDDEN refuses
// those paths, and the bench's, by name as well.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const { builtinModules } = require('node:module');
const path = require('node:path');

// Raised from 340 files / 280 kB / 1 MB when the alert node, the proxy and the hostile-input code arrived (323 files, 300 kB,
// 1.08 MB), and from 380 kB / 1.4 MB on 2026-12-06, when the shipped code and CHANGELOG reached 381 kB: still below what
// an accidental dist/test or source maps would add.
const BUDGET = { files: 420, packedBytes: 440_000, unpackedBytes: 1_600_000 };

/** Never in the tarball, with the reason reported. */
const FORBIDDEN = [
  [/\.map$/, 'source map (the TypeScript sources they point to are not shipped)'],
  [/(^|\/)(test|tests)\/|\.test\.js$/, 'test'],
  [/^dist\/bench\/|^bench\//, 'benchmark'],
  [/^dist\/scripts\/|^scripts\//, 'development script'],
  [/(^|\/)node_modules\//, 'node_modules'],
  [/\.(pem|key|crt|csr|p12|pfx)$/, 'certificate or key'],
  [/(^|\/)(\.node-red-user|\.sim-data|test-output)\//, 'user dir or test output'],
  [/(^|\/)\.[^/]+$/, 'dot file'],
  [/\.(tgz|log|tsbuildinfo)$/, 'build by-product'],
  [/(?<!\.d)\.ts$/, 'TypeScript source'],
];

/** Everything shipped matches one of these. */
const ALLOWED = [
  /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|SECURITY\.md|simulator\/README\.md)$/,
  /^examples\/[^/]+\.json$/,
  /^dist\/(lib|simulator)\/.+\.(js|d\.ts)$/,
  /^dist\/nodes\/[^/]+\/[^/]+\.(js|html)$/,
  /^dist\/nodes\/[^/]+\/locales\/[^/]+\/[^/]+\.(json|html)$/,
  /^dist\/nodes\/[^/]+\/icons\/[^/]+\.(svg|png)$/,
];

const ROOT_FILES = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'SECURITY.md'];

function kB(bytes) {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

/**
 * Problems of a tarball, [] if none. `pack` is one entry of `npm pack --json` / `npm publish --json`
 * ({ files: [{ path, size }], size, unpackedSize }); `root` the folder it was packed from (file contents are read
 * from there); `examples` the names of the example files the tarball must carry.
 */
function checkPackage(pack, root, examples) {
  const problems = [];
  const shipped = new Set(pack.files.map((f) => f.path));
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

  const accepted = [];
  for (const file of shipped) {
    const forbidden = FORBIDDEN.find(([re]) => re.test(file));
    if (forbidden) problems.push(`forbidden (${forbidden[1]}): ${file}`);
    else if (!ALLOWED.some((re) => re.test(file))) problems.push(`not expected in the package: ${file}`);
    else accepted.push(file);
  }

  const required = [...ROOT_FILES, pkg.main, ...Object.values(pkg.bin ?? {}), ...examples.map((f) => `examples/${f}`)];
  for (const [type, file] of Object.entries(pkg['node-red']?.nodes ?? {})) {
    const dir = path.posix.dirname(file);
    required.push(
      file,
      `${dir}/${type}.html`,
      `${dir}/locales/en-US/${type}.json`,
      `${dir}/locales/en-US/${type}.html`,
    );
    const html = path.join(root, dir, `${type}.html`);
    const icon = fs.existsSync(html) && /\bicon:\s*["']([^"']+)["']/.exec(fs.readFileSync(html, 'utf8'));
    if (icon && !icon[1].includes('/')) required.push(`${dir}/icons/${icon[1]}`);
  }
  for (const file of required) if (!shipped.has(file)) problems.push(`missing: ${file}`);
  for (const bin of Object.values(pkg.bin ?? {})) {
    const text = fs.existsSync(path.join(root, bin)) ? fs.readFileSync(path.join(root, bin), 'utf8') : '';
    if (!text.startsWith('#!/usr/bin/env node')) problems.push(`bin ${bin} does not start with #!/usr/bin/env node`);
  }

  // The Node-RED the package claims starts at the one CI tests (the devDependency's minor; CI also tests the
  // next major, which the open range covers). The install test proves both CI runtimes satisfy the ranges:
  // npm's --engine-strict checks engines.node, Node-RED checks node-red.version before it loads the nodes.
  const claimed = /^>=\s*(\d+)\.(\d+)\.\d+$/.exec(pkg['node-red']?.version ?? '');
  const tested = /(\d+)\.(\d+)\.\d+/.exec(pkg.devDependencies?.['node-red'] ?? '');
  if (!claimed || !tested || claimed[1] !== tested[1] || claimed[2] !== tested[2]) {
    problems.push(
      `node-red.version ${pkg['node-red']?.version} is not ">=<the tested ${tested ? `${tested[1]}.${tested[2]}` : '?'}>.0"`,
    );
  }
  if (!/^>=\s*\d+\.\d+\.\d+$/.test(pkg.engines?.node ?? ''))
    problems.push(`engines.node ${pkg.engines?.node} is not a ">=x.y.z" range`);

  // Everything the shipped code loads is shipped too, a dependency, or built into Node.js.
  const dependencies = new Set(Object.keys(pkg.dependencies ?? {}));
  for (const file of accepted) {
    if (!file.endsWith('.js')) continue;
    const source = fs.readFileSync(path.join(root, file), 'utf8');
    for (const [, spec] of source.matchAll(/\b(?:require|import)\(\s*["']([^"']+)["']\s*\)/g)) {
      if (spec.startsWith('.')) {
        const target = path.posix.join(path.posix.dirname(file), spec);
        if (![target, `${target}.js`, `${target}.json`, `${target}/index.js`].some((t) => shipped.has(t))) {
          problems.push(`${file} loads ${spec}, which is not in the package`);
        }
      } else {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        const builtin = spec.startsWith('node:') || builtinModules.includes(name);
        if (!builtin && !dependencies.has(name)) problems.push(`${file} loads ${spec}, which is not a dependency`);
      }
    }
  }

  if (pack.files.length > BUDGET.files) problems.push(`${pack.files.length} files, over the budget of ${BUDGET.files}`);
  if (pack.size > BUDGET.packedBytes)
    problems.push(`packed ${kB(pack.size)}, over the budget of ${kB(BUDGET.packedBytes)}`);
  if (pack.unpackedSize > BUDGET.unpackedBytes)
    problems.push(`unpacked ${kB(pack.unpackedSize)}, over the budget of ${kB(BUDGET.unpackedBytes)}`);
  return problems;
}

/** The JSON npm prints with --json; anything a lifecycle script wrote to stdout before it is skipped. */
function parseNpmJson(stdout) {
  const start = stdout.search(/^[[{]/m);
  if (start < 0) throw new Error(`no JSON in npm's output:\n${stdout.slice(-2000)}`);
  const parsed = JSON.parse(stdout.slice(start));
  const entry = Array.isArray(parsed)
    ? parsed[0]
    : parsed[Object.keys(parsed)[0]]?.files
      ? parsed[Object.keys(parsed)[0]]
      : parsed;
  if (!entry || !Array.isArray(entry.files))
    throw new Error(`npm's JSON has no file list:\n${stdout.slice(start, start + 2000)}`);
  return entry;
}

/** One line per top folder: how many files and bytes. */
function summary(pack) {
  const groups = new Map();
  for (const f of pack.files) {
    const parts = f.path.split('/');
    const key = parts.length > 2 ? parts.slice(0, 2).join('/') + '/' : parts.length === 2 ? parts[0] + '/' : f.path;
    const g = groups.get(key) ?? { files: 0, bytes: 0 };
    g.files += 1;
    g.bytes += f.size;
    groups.set(key, g);
  }
  const lines = [...groups].map(
    ([key, g]) => `  ${key.padEnd(22)} ${String(g.files).padStart(4)} files ${kB(g.bytes).padStart(10)}`,
  );
  lines.push(
    `  ${pack.files.length} files, ${kB(pack.size)} packed, ${kB(pack.unpackedSize)} unpacked (budget ${BUDGET.files} files, ${kB(BUDGET.packedBytes)}, ${kB(BUDGET.unpackedBytes)})`,
  );
  return lines.join('\n');
}

function exampleFiles(root) {
  return fs
    .readdirSync(path.join(root, 'examples'))
    .filter((f) => f.endsWith('.json'))
    .sort();
}

module.exports = { BUDGET, checkPackage, parseNpmJson, summary, exampleFiles };

/** `npm <args>` in `root`; stdout, with stderr relayed (the prepack build writes there). */
function npmJson(root, args) {
  const result = spawnSync('npm', args, {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    shell: process.platform === 'win32',
  });
  process.stderr.write(result.stderr ?? '');
  if (result.error) throw result.error;
  return { ok: result.status === 0, stdout: result.stdout, stderr: result.stderr ?? '' };
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  let run = npmJson(root, ['publish', '--dry-run', '--json']);
  let what = 'npm publish --dry-run';
  // npm 11 refuses a dry run of a version the registry already has: the normal state of main after a release
  // (the next release bumps the version). The tarball is still checked, as `npm pack --dry-run` makes it.
  if (!run.ok && /cannot publish over the previously published version/i.test(run.stderr)) {
    process.stdout.write(
      `check-package: ${require(path.join(root, 'package.json')).version} is already published; checking npm pack --dry-run instead\n`,
    );
    run = npmJson(root, ['pack', '--dry-run', '--json']);
    what = 'npm pack --dry-run';
  }
  if (!run.ok) {
    process.stderr.write(`check-package: ${what} failed\n`);
    process.exit(1);
  }
  const pack = parseNpmJson(run.stdout);
  process.stdout.write(`${what}: ${pack.id ?? pack.name}\n${summary(pack)}\n`);
  const problems = checkPackage(pack, root, exampleFiles(root));
  if (problems.length > 0) {
    process.stderr.write(`check-package: ${problems.length} problem(s):\n  ${problems.join('\n  ')}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write('check-package: ok\n');
  }
}
