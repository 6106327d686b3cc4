// The Node-RED scorecard: the checks of `node-red-dev validate` (node-red-dev 0.1.6, src/libs/
// checkpackage.js, checknodes.js, checkdeps.js), named by their codes. The tool itself cannot run
// here: it starts by downloading https://catalogue.nodered.org/catalogue.json, which is not
// reachable, and stops. So its checks are replicated, reading the same files the same way:
//   P01 license · P03 repository or bugs · P04 scoped name · P05 "node-red" keyword ·
//   P06 node-red.version fits a current Node-RED (dist-tags latest / *maintenance*, from the npm
//   registry) · P07 engines.node admits the minimum Node.js of the latest Node-RED ·
//   (node definitions) literal registerType definitions in each node's .html ·
//   N02 examples use every non-config node · D01 at most 6 dependencies ·
//   D02 no known-incompatible package in the production tree · D03 dependencies on their latest major.
// Not replicable offline: P08 (similar names) and N01 (unique node names) search the catalogue.
// P06, P07 and D03 ask the npm registry (`npm view`), as the tool does.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import * as ts from 'typescript';
import { requireFromNodeRed } from '../helpers/node-red-selection';
import { REPO } from '../helpers/node-red-process';

interface PackageJson {
  name: string;
  license?: string;
  repository?: unknown;
  bugs?: unknown;
  keywords?: string[];
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  'node-red': { version?: string; nodes?: Record<string, string> };
}

interface Semver {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
  major(version: string): number;
  coerce(version: string): { version: string } | null;
}

// node-red depends on semver itself; the same library node-red-dev uses.
const semver = requireFromNodeRed<Semver>('semver');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as PackageJson;

/** `npm view <spec> <field> --json` (the registry the project's npm is set up with). */
function npmView(spec: string, field: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile('npm', ['view', spec, field, '--json'], { timeout: 60_000, cwd: REPO }, (err, stdout) => {
      if (err)
        reject(
          new Error(
            `npm view ${spec} ${field} failed (the npm registry must be reachable for this check): ${err.message}`,
          ),
        );
      else resolve(stdout.trim() === '' ? undefined : JSON.parse(stdout));
    });
  });
}

// ---- node definitions, as checknodes.js getNodeDefinitions() reads them (acorn there, the
// TypeScript parser here: both give the same tree shape for these checks) ----

interface NodeDefinition {
  category?: string;
  icon?: string;
  defaults?: string[];
  credentials?: string[];
}

/** The checks' error codes: non-literal, non-objectexpression, <property>-not-inline, parse. */
function nodeDefinitions(htmlFile: string): { defs: Map<string, NodeDefinition>; errors: string[] } {
  const html = readFileSync(htmlFile, 'utf8');
  const re = /<script.+?type=['"]text\/javascript['"].*?>([\S\s]*?)<\/script>/gi;
  const defs = new Map<string, NodeDefinition>();
  const errors: string[] = [];
  for (let m = re.exec(html); m !== null; m = re.exec(html)) {
    const source = ts.createSourceFile(htmlFile, m[1]!, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    const diagnostics = (source as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
    if (diagnostics.length > 0)
      errors.push(`parse: ${ts.flattenDiagnosticMessageText(diagnostics[0]!.messageText, ' ')}`);
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === 'registerType'
      ) {
        readRegistration(node, defs, errors);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { defs, errors };
}

const isLiteral = (e: ts.Expression): boolean =>
  ts.isStringLiteral(e) ||
  ts.isNumericLiteral(e) ||
  ts.isNoSubstitutionTemplateLiteral(e) ||
  e.kind === ts.SyntaxKind.TrueKeyword ||
  e.kind === ts.SyntaxKind.FalseKeyword ||
  e.kind === ts.SyntaxKind.NullKeyword;

function literalValue(e: ts.Expression): string {
  return ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isNumericLiteral(e)
    ? e.text
    : e.getText();
}

function keyName(p: ts.ObjectLiteralElementLike): string | undefined {
  return p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
}

function readRegistration(call: ts.CallExpression, defs: Map<string, NodeDefinition>, errors: string[]): void {
  const [typeArg, defArg] = call.arguments;
  if (!typeArg || !ts.isStringLiteral(typeArg))
    return void errors.push(`non-literal: ${typeArg?.getText() ?? '(none)'}`);
  if (!defArg || !ts.isObjectLiteralExpression(defArg))
    return void errors.push(`non-objectexpression: ${typeArg.text}`);
  const def: NodeDefinition = {};
  for (const prop of defArg.properties) {
    const key = keyName(prop);
    if (!key || !ts.isPropertyAssignment(prop)) continue;
    const value = prop.initializer;
    if (key === 'defaults' || key === 'credentials') {
      if (!ts.isObjectLiteralExpression(value)) errors.push(`${key}-not-inline: ${typeArg.text}`);
      else def[key] = value.properties.map((p) => keyName(p) ?? '?');
    } else if (key === 'icon' || key === 'color' || key === 'inputs' || key === 'outputs' || key === 'category') {
      if (!isLiteral(value)) errors.push(`${key}-not-inline: ${typeArg.text}`);
      else if (key === 'icon' || key === 'category') def[key] = literalValue(value);
    }
  }
  defs.set(typeArg.text, def);
}

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? jsonFiles(path) : extname(path) === '.json' ? [path] : [];
  });
}

describe('Node-RED scorecard (the checks of node-red-dev validate)', function () {
  this.timeout(120_000);

  describe('package', () => {
    it('P01 package has a license', () => {
      assert.ok(typeof pkg.license === 'string' && pkg.license !== '', 'No License Specified');
    });

    it('P03 repository or bugs link supplied', () => {
      assert.ok(
        pkg.repository !== undefined || pkg.bugs !== undefined,
        'Please provide either a repository URL or a Bugs URL/Email',
      );
    });

    it('P04 package uses a scoped name', () => {
      assert.match(pkg.name, /@[a-z\d][\w-.]+\/[a-z\d][\w-.]*/, 'New Packages should use a scoped name');
    });

    it('P05 keywords contain node-red', () => {
      assert.ok(pkg.keywords?.includes('node-red'), 'Package.json keywords MUST contain node-red');
    });

    it('P06 node-red.version is compatible with the current Node-RED versions', async () => {
      const range = pkg['node-red'].version;
      assert.ok(range, 'Node-RED version compatibility not declared');
      const tags = (await npmView('node-red', 'dist-tags')) as Record<string, string>;
      const current = Object.entries(tags)
        .filter(([tag]) => /.*maintenance.*|^latest$/.test(tag))
        .map(([, version]) => version);
      assert.ok(current.length > 0, `no latest or maintenance dist-tag: ${JSON.stringify(tags)}`);
      // The tool passes when any current version fits; this package claims all of them.
      for (const version of current)
        assert.ok(
          semver.satisfies(version, range),
          `NOT Compatible with Node-RED v${version} (node-red.version ${range})`,
        );
    });

    it('P07 engines.node admits the minimum Node.js of the latest Node-RED', async () => {
      const range = pkg.engines?.node;
      assert.ok(range, 'Node version not declared in engines');
      const latest = (await npmView('node-red', 'dist-tags.latest')) as string;
      const engines = (await npmView(`node-red@${latest}`, 'engines')) as { node: string };
      const min = semver.minVersion(engines.node)!.version;
      assert.ok(
        semver.satisfies(min, range),
        `Minimum Node version is not compatible with minimum supported Node-RED Version Node v${min} (engines.node ${range})`,
      );
    });
  });

  describe('nodes', () => {
    const declared = Object.entries(pkg['node-red'].nodes ?? {});
    /** Every type the declared .html files register, and what is wrong with them. */
    const all = new Map<string, NodeDefinition>();
    const problems: string[] = [];

    before(() => {
      assert.ok(declared.length > 0, 'No nodes declared in package.json');
      // The published layout: the .html beside each declared .js (copied to dist/ by the build).
      execFileSync(process.execPath, [join(REPO, 'scripts', 'copy-assets.js')], { stdio: 'ignore' });
      for (const [type, js] of declared) {
        const html = join(REPO, js.replace('.js', '.html'));
        if (!existsSync(html)) {
          problems.push(`${type}: no ${js.replace('.js', '.html')}`);
          continue;
        }
        const { defs, errors } = nodeDefinitions(html);
        problems.push(...errors.map((e) => `${type}: ${e}`));
        for (const [name, def] of defs) all.set(name, def);
        const def = defs.get(type);
        if (!def) {
          problems.push(`${type}: the .html registers ${[...defs.keys()].join(', ') || 'no type'}`);
          continue;
        }
        if (def.category !== 'config') {
          if (!def.icon) problems.push(`${type}: no icon`);
          else if (!existsSync(join(REPO, 'icons', def.icon)))
            problems.push(`${type}: icon ${def.icon} is not in icons/`);
        }
        if (!def.defaults?.includes('version')) problems.push(`${type}: no version in defaults`);
      }
    });

    it('each node has a literal registerType definition in its .html', () => {
      assert.ok(all.size >= declared.length, 'node definitions not read');
      assert.deepEqual(problems, []);
    });

    it('the definition reader flags what node-red-dev flags (so a pass means something)', () => {
      const dir = mkdtempSync(join(tmpdir(), 'aa-scorecard-'));
      try {
        const file = join(dir, 'x.html');
        writeFileSync(
          file,
          `<script type="text/javascript">
            var T = "a"; var D = {}; var C = "x";
            RED.nodes.registerType(T, {});
            RED.nodes.registerType("b", D);
            RED.nodes.registerType("c", { category: C, defaults: D, icon: "c.svg", outputs: 1 });
          </script>`,
        );
        const { defs, errors } = nodeDefinitions(file);
        assert.deepEqual(errors, [
          'non-literal: T',
          'non-objectexpression: b',
          'category-not-inline: c',
          'defaults-not-inline: c',
        ]);
        assert.deepEqual([...defs.keys()], ['c']);
        assert.equal(defs.get('c')!.icon, 'c.svg');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('N02 examples use every node (except config nodes)', () => {
      assert.ok(all.size >= declared.length, 'node definitions not read');
      const files = jsonFiles(join(REPO, 'examples'));
      assert.ok(files.length > 0, 'No examples found');
      const used = new Set<string>();
      for (const file of files) {
        const flow = JSON.parse(readFileSync(file, 'utf8')) as unknown;
        assert.ok(Array.isArray(flow), `Unable to read example : ${file} (not a flow array)`);
        for (const n of flow as Array<{ type?: unknown }>) if (typeof n?.type === 'string') used.add(n.type);
      }
      const missing = [...all]
        .filter(([type, def]) => def.category !== 'config' && !used.has(type))
        .map(([type]) => type);
      assert.deepEqual(missing, [], `Examples not found for the following nodes: ${missing.join(', ')}`);
    });
  });

  describe('dependencies', () => {
    const deps = Object.entries(pkg.dependencies ?? {});
    const notes: string[] = [];

    it('D01 package has 6 or fewer dependencies', () => {
      assert.ok(deps.length <= 6, `Package has a large number of dependencies (${deps.length})`);
    });

    it('D02 no incompatible packages in the dependency tree', () => {
      // node-red-dev's src/badpackages.json.
      const bad: Record<string, string> = { 'agent-base': '<6.0.0' };
      // The production tree as npm installed it (package-lock.json v3: dev entries are marked).
      const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as {
        packages: Record<string, { version?: string; dev?: boolean }>;
      };
      const found = Object.entries(lock.packages)
        .filter(([path, p]) => path !== '' && !p.dev && p.version)
        .map(([path, p]) => ({
          name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length),
          version: p.version!,
        }))
        .filter((p) => bad[p.name] !== undefined && semver.satisfies(p.version, bad[p.name]!));
      assert.ok(
        Object.keys(lock.packages).some((path) => path === 'node_modules/ws'),
        'package-lock.json does not list the dependencies',
      );
      assert.deepEqual(found, [], 'Incompatible package found in the dependency tree');
    });

    it('D03 dependencies use their latest versions (current major)', async () => {
      const minNode = semver.minVersion(pkg.engines?.node ?? '*')!.version;
      const stale: string[] = [];
      await Promise.all(
        deps.map(async ([name, range]) => {
          const latest = (await npmView(name, 'dist-tags.latest')) as string;
          const installed = (
            JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
          ).version;
          // npm-check's easyUpgrade: latest fits the declared range and is no major bump from what is installed.
          if (semver.satisfies(latest, range) && semver.major(latest) === semver.major(installed)) return;
          // Deviation from the tool, kept narrow: a latest major that drops Node.js versions this
          // package supports (engines.node) cannot be taken; the major just below it must be used then.
          const needs = ((await npmView(`${name}@${latest}`, 'engines')) as { node?: string } | undefined)?.node;
          const heldBack =
            needs !== undefined &&
            !semver.satisfies(minNode, needs) &&
            semver.major(installed) === semver.major(latest) - 1;
          if (heldBack) {
            notes.push(
              `${name}: latest ${latest} needs Node.js ${needs}, engines.node allows ${minNode}; ${installed} is on the newest major that runs there`,
            );
            return;
          }
          stale.push(
            `${name} is not at latest version, package.json specifies: ${range}, installed ${installed}, latest is: ${latest}`,
          );
        }),
      );
      for (const note of notes) process.stdout.write(`      note (D03): ${note}\n`);
      assert.deepEqual(stale, []);
    });
  });
});
