// What the example files promise before any of them runs: each is a flow of its own with a comment
// node saying what to fill in, uses only Node-RED's core nodes and this package's, points its server
// node at the `npm start` simulator, holds no credentials, and together they show every node of ours.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readExamples, type FlowNode } from '../helpers/example-flows';

const REPO = resolve(__dirname, '..', '..', '..');
const SIMULATOR_URL = 'https://localhost:8443/orca-streams-rest';

/** Node types registered by an editor file (RED.nodes.registerType("x", …)), with their category. */
function registeredTypes(htmlFiles: string[]): Map<string, string> {
  const types = new Map<string, string>();
  for (const file of htmlFiles) {
    const html = readFileSync(file, 'utf8');
    for (const m of html.matchAll(
      /registerType\(\s*['"]([^'"]+)['"]\s*,\s*\{([\s\S]*?)\bcategory\s*:\s*['"]?([\w-]*)/g,
    ))
      types.set(m[1]!, m[3]!);
  }
  return types;
}

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith(ext))
    .map((d) => join(d.parentPath, d.name));
}

const coreTypes = registeredTypes(filesUnder(join(REPO, 'node_modules', '@node-red', 'nodes', 'core'), '.html'));
const ourTypes = registeredTypes(filesUnder(join(REPO, 'nodes'), '.html'));
const examples = readExamples();

describe('the example files', () => {
  it('exist, one per use, and the editor lists them (examples/*.json at the package root)', () => {
    assert.ok(examples.length >= 7, `only ${examples.length} examples`);
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { files: string[] };
    assert.ok(pkg.files.includes('examples'), 'examples/ is not published with the package');
    assert.ok(
      coreTypes.has('inject') && coreTypes.has('debug') && ourTypes.size === 7,
      'could not read the node types',
    );
  });

  for (const { file, nodes } of examples) {
    describe(file, () => {
      const byId = new Map(nodes.map((n) => [n.id, n]));

      it('is one tab with a comment node that says what to fill in', () => {
        const tabs = nodes.filter((n) => n.type === 'tab');
        assert.equal(tabs.length, 1);
        const comments = nodes.filter((n) => n.type === 'comment');
        assert.equal(comments.length, 1);
        const info = String(comments[0]!.info);
        for (const needed of [
          'orca-streams-rest',
          'supervisor2',
          'password2',
          'ca.pem',
          'ingress gateway',
          'credential store',
        ]) {
          assert.ok(info.includes(needed), `the comment does not mention ${needed}`);
        }
        for (const n of nodes)
          if (n.type !== 'tab' && n.z !== undefined) assert.equal(n.z, tabs[0]!.id, `${n.id} is on another tab`);
      });

      it('uses only core nodes and ours, wired to nodes of the same file', () => {
        for (const n of nodes) {
          assert.ok(
            n.type === 'tab' || coreTypes.has(n.type) || ourTypes.has(n.type),
            `${n.id}: ${n.type} is neither a core node nor ours`,
          );
          for (const port of (n.wires ?? []) as string[][])
            for (const target of port) assert.ok(byId.has(target), `${n.id} is wired to a missing node ${target}`);
          for (const ref of ['server', 'tls'])
            if (typeof n[ref] === 'string' && n[ref] !== '')
              assert.ok(byId.has(n[ref]), `${n.id}.${ref} names a missing node`);
        }
      });

      it('points its server node at the npm start simulator and holds no credentials', () => {
        const servers = nodes.filter((n) => n.type === 'avaya-analytics-server');
        // A consumer of the broker (09) never reaches Avaya: no server node, its data come from core mqtt in.
        const brokerConsumer = servers.length === 0 && nodes.some((n) => n.type === 'mqtt in');
        assert.equal(servers.length, brokerConsumer ? 0 : 1);
        if (!brokerConsumer) {
          assert.equal(servers[0]!.url, SIMULATOR_URL);
          const tls = byId.get(servers[0]!.tls as string) as FlowNode;
          assert.equal(tls.type, 'tls-config');
          assert.equal(tls.verifyservercert, true, 'examples must not turn certificate checks off');
        }
        for (const n of nodes) assert.ok(!('credentials' in n), `${n.id} carries credentials`);
        const text = readFileSync(join(REPO, 'examples', file), 'utf8');
        assert.doesNotMatch(text, /"password"\s*:|"username"\s*:|BEGIN CERTIFICATE|eyJ[\w-]+\.eyJ/);
      });
    });
  }

  it('share identical config nodes, so importing several reuses one server node', () => {
    const shared = new Map<string, string>();
    for (const { file, nodes } of examples) {
      for (const n of nodes.filter((x) => x.z === undefined && x.type !== 'tab')) {
        const json = JSON.stringify(n);
        assert.equal(shared.get(n.id) ?? json, json, `${file}: config node ${n.id} differs from another example's`);
        shared.set(n.id, json);
      }
    }
  });

  it('give flow nodes ids unique over all examples, so several can be imported side by side', () => {
    const owner = new Map<string, string>();
    for (const { file, nodes } of examples) {
      for (const n of nodes.filter((x) => x.z !== undefined || x.type === 'tab')) {
        assert.ok(!owner.has(n.id), `${n.id} is in ${owner.get(n.id)} and ${file}`);
        owner.set(n.id, file);
      }
    }
  });

  it('show every node of ours that is not a config node', () => {
    const used = new Set(examples.flatMap(({ nodes }) => nodes.map((n) => n.type)));
    const flowNodes = [...ourTypes].filter(([, category]) => category !== 'config').map(([type]) => type);
    assert.deepEqual(
      flowNodes.filter((t) => !used.has(t)),
      [],
    );
    assert.ok(flowNodes.length >= 4);
  });
});
