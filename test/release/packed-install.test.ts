// The package as a user gets it from the palette manager: packed from a clean copy of the tree (what a fresh
// clone holds: no dist/, so the prepack script must build), installed into a fresh Node-RED user dir with the
// palette manager's own `npm install` flags (production dependencies only), then that Node-RED (the one
// test/helpers/node-red-selection.ts selects: 4.1 on Node 20, 5 on Node 22) started on it: the six types loaded, the
// examples offered, example 01 deployed against a simulator started from the installed package's CLI and
// its data seen in the debug sidebar. Nothing of the repo is reachable from the user dir.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { NODE_RED_CLI, NODE_RED_VERSION } from '../helpers/node-red-selection';
import {
  PACKAGE_NAME,
  REPO_ROOT,
  type NodeRedProcess,
  settingsSource,
  startNodeRed,
} from '../../scripts/node-red-process';
import type { DataMessage, LifecycleMessage } from '../../lib/flow-messages';
import { DebugComms } from '../helpers/debug-comms';
import { deployable, type ExampleFile, fetchExamples, readExamples } from '../helpers/example-flows';
import { freePort, getJson, tempDir } from '../helpers/temp-dir-and-http';
import { until } from '../helpers/wait';

interface PackFile {
  path: string;
  size: number;
}
interface PackEntry {
  filename: string;
  files: PackFile[];
  size: number;
  unpackedSize: number;
}
interface CheckPackage {
  BUDGET: { files: number; packedBytes: number; unpackedBytes: number };
  checkPackage(pack: PackEntry, root: string, examples: string[]): string[];
  parseNpmJson(stdout: string): PackEntry;
  summary(pack: PackEntry): string;
  exampleFiles(root: string): string[];
}
// Plain JavaScript (CI runs it before anything is built), so required rather than imported.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a .js script outside the TypeScript build
const check = require(join(REPO_ROOT, 'scripts', 'check-package.js')) as CheckPackage;

const run = promisify(execFile);
const PKG = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  'node-red': { nodes: Record<string, string> };
};
const TYPES = Object.keys(PKG['node-red'].nodes).sort();
const PRODUCER = 'Agent_SoD_3.5';
// The palette manager's install (@node-red/registry lib/installer.js, Node-RED 4.1 and 5).
const PALETTE_NPM_ARGS = [
  'install',
  '--no-audit',
  '--no-update-notifier',
  '--no-fund',
  '--save',
  '--save-prefix=~',
  '--omit=dev',
  '--engine-strict',
];
const LOG = process.env.TEST_RELEASE_LOG === '1';

async function npm(args: string[], cwd: string, command = 'npm'): Promise<string> {
  try {
    const { stdout } = await run(command, args, {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
      shell: process.platform === 'win32',
    });
    return stdout;
  } catch (err) {
    const e = err as { message: string; stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} in ${cwd} failed: ${e.message}\n${e.stdout ?? ''}\n${(e.stderr ?? '').slice(-4000)}`,
      { cause: err },
    );
  }
}

/**
 * The tree a fresh clone has, plus uncommitted work: the files git tracks or would track (.gitignore keeps
 * node_modules/, dist/, user dirs out). Without git, a copy without those folders. node_modules is then a
 * link to the repo's: the prepack build needs the devDependencies (TypeScript, @types), which npm pack leaves
 * out of the tarball; nothing else of the repo is shared.
 */
async function cleanCopy(to: string): Promise<void> {
  let files: string[] | undefined;
  try {
    const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: REPO_ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    files = stdout.split('\0').filter((f) => f !== '' && existsSync(join(REPO_ROOT, f)));
  } catch {
    files = undefined;
  }
  if (files) {
    for (const file of files) {
      mkdirSync(dirname(join(to, file)), { recursive: true });
      cpSync(join(REPO_ROOT, file), join(to, file), { verbatimSymlinks: true });
    }
  } else {
    const skip = new Set(['node_modules', 'dist', '.git', '.node-red-user', '.sim-data', 'test-output']);
    cpSync(REPO_ROOT, to, {
      recursive: true,
      filter: (src) =>
        !relative(REPO_ROOT, src)
          .split(sep)
          .some((part) => skip.has(part)),
    });
  }
  assert.ok(!existsSync(join(to, 'dist')), 'the clean copy has a dist/');
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(to, 'node_modules'), 'dir');
}

interface CliSimulator {
  child: ChildProcess;
  restUrl: string;
  controlUrl: string;
  caPath: string;
  username: string;
  password: string;
}

/** Runs the installed bin (as node <bin>, so the test can stop it) until it prints where to reach it. */
async function startCliSimulator(bin: string, certDir: string): Promise<CliSimulator> {
  const args = [
    '--port',
    '0',
    '--control-port',
    '0',
    '--cert-dir',
    certDir,
    '--seed',
    '7',
    '--agents',
    '6',
    '--rate',
    '0',
  ];
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  try {
    await until(
      'the simulator CLI to print its URLs and users',
      () => {
        if (child.exitCode !== null) throw new Error(`avaya-analytics-sim exited (${child.exitCode}):\n${out}`);
        return out.includes('Press Ctrl-C to stop.');
      },
      30_000,
      100,
    );
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const field = (re: RegExp): string => {
    const m = re.exec(out);
    assert.ok(m, `${re} not in the simulator's output:\n${out}`);
    return m[1]!;
  };
  return {
    child,
    restUrl: field(/REST URL\s+(\S+)/),
    controlUrl: field(/Control URL\s+(\S+)/),
    caPath: field(/CA\s+(\/\S+|[A-Za-z]:\\\S+)/),
    username: field(/^\s+(\S+) \/ \S+\s+groups:/m),
    password: field(/^\s+\S+ \/ (\S+)\s+groups:/m),
  };
}

describe('the packed package installed as the palette manager installs it', function () {
  this.timeout(60_000);
  let work: Awaited<ReturnType<typeof tempDir>>;
  let copy: string;
  let userDir: string;
  let pack: PackEntry;
  let installed: string;
  let nodeRed: NodeRedProcess | undefined;
  let comms: DebugComms | undefined;
  let sim: CliSimulator | undefined;

  before(async function () {
    // Pack (a full build) and install; on two shared cores this takes 20-40 s.
    this.timeout(240_000);
    work = await tempDir('aa-release-');
    copy = join(work.path, 'clone');
    userDir = join(work.path, 'node-red-user');
    mkdirSync(copy);
    mkdirSync(userDir);
    await cleanCopy(copy);
    pack = check.parseNpmJson(await npm(['pack', '--json', '--pack-destination', work.path], copy));
    if (LOG) process.stdout.write(`${check.summary(pack)}\n`);

    // What Node-RED writes into a new user dir, then the palette manager's npm install of the tarball.
    writeFileSync(
      join(userDir, 'package.json'),
      JSON.stringify(
        { name: 'node-red-project', description: 'A Node-RED Project', version: '0.0.1', private: true },
        null,
        4,
      ),
    );
    await npm([...PALETTE_NPM_ARGS, '--', join(work.path, pack.filename)], userDir);
    installed = join(userDir, 'node_modules', ...PACKAGE_NAME.split('/'));

    writeFileSync(
      join(userDir, 'settings.js'),
      settingsSource({ logging: { console: { level: 'info', metrics: false, audit: false } } }),
    );
    nodeRed = startNodeRed({ userDir, port: await freePort(), output: 'pipe', cli: NODE_RED_CLI });
    await nodeRed.ready();
  });

  after(async () => {
    await comms?.close();
    const code = nodeRed ? await nodeRed.stop() : 0;
    if (sim && sim.child.exitCode === null) {
      const exited = new Promise((r) => sim!.child.once('exit', r));
      sim.child.kill('SIGTERM');
      await exited;
    }
    await work?.remove();
    assert.equal(code, 0, nodeRed?.output().slice(-2000));
  });

  it('the tarball, built by prepack from a clean copy, holds what users need and nothing else, within the budget', () => {
    const problems = check.checkPackage(pack, copy, check.exampleFiles(REPO_ROOT));
    assert.deepEqual(problems, [], check.summary(pack));
    // The build ran in the copy (its dist/ is the one packed), and left out tests, benchmarks and dev scripts.
    assert.ok(existsSync(join(copy, 'dist', 'test')), 'prepack did not run the full build in the clean copy');
    assert.ok(pack.files.some((f) => f.path === 'dist/simulator/cli.js'));
  });

  it('the package check rejects forbidden paths, missing files, unshipped imports and a tarball over the budget', () => {
    const bad: PackEntry = {
      ...pack,
      files: [
        ...pack.files.filter((f) => f.path !== 'CHANGELOG.md'),
        { path: 'dist/lib/index.js.map', size: 10 },
        { path: 'dist/test/lib/x.test.js', size: 10 },
        { path: 'dist/bench/run.js', size: 10 },
        { path: 'dist/.build-stamp', size: 10 },
        { path: 'docs/notes.md', size: 10 },
      ],
      size: check.BUDGET.packedBytes + 1,
    };
    const problems = check.checkPackage(bad, copy, check.exampleFiles(REPO_ROOT)).join('\n');
    for (const expected of [
      /forbidden \(source map.*: dist\/lib\/index\.js\.map/,
      /forbidden \(test\): dist\/test\/lib\/x\.test\.js/,
      /forbidden \(benchmark\): dist\/bench\/run\.js/,
      /forbidden \(dot file\): dist\/\.build-stamp/,
      /not expected in the package: docs\/notes\.md/,
      /missing: CHANGELOG\.md/,
      /packed .* over the budget/,
    ]) {
      assert.match(problems, expected);
    }
    // A shipped module loading one that is not shipped.
    const withoutErrors = { ...pack, files: pack.files.filter((f) => f.path !== 'dist/lib/errors.js') };
    assert.match(
      check.checkPackage(withoutErrors, copy, check.exampleFiles(REPO_ROOT)).join('\n'),
      /loads \.\/errors(\.js)?, which is not in the package/,
    );
  });

  it('npm installed it with its production dependencies only', () => {
    const modules = readdirSync(join(userDir, 'node_modules')).filter((m) => !m.startsWith('.'));
    for (const dep of Object.keys(PKG.dependencies))
      assert.ok(modules.includes(dep), `dependency ${dep} was not installed (${modules.join(', ')})`);
    for (const dev of Object.keys(PKG.devDependencies)) {
      assert.ok(!existsSync(join(userDir, 'node_modules', ...dev.split('/'))), `devDependency ${dev} was installed`);
    }
    assert.ok(!lstatSync(installed).isSymbolicLink(), 'the package is a link, not an install');
    assert.deepEqual(readdirSync(join(installed, 'dist')).sort(), ['lib', 'nodes', 'simulator']);
  });

  it(`Node-RED ${NODE_RED_VERSION} registers every node type of package.json from the user dir, without errors`, async () => {
    const settings = await getJson<{ version: string }>(`${nodeRed!.baseUrl}/settings`);
    assert.ok(
      settings.version.startsWith(NODE_RED_VERSION),
      `Node-RED ${settings.version} answers, not ${NODE_RED_VERSION}`,
    );
    const expectMajor = process.env.TEST_EXPECT_NODE_RED_MAJOR;
    if (expectMajor) assert.equal(settings.version.split('.')[0], expectMajor);

    const res = await fetch(`${nodeRed!.baseUrl}/nodes`, { headers: { accept: 'application/json' } });
    assert.equal(res.status, 200);
    const sets = (
      (await res.json()) as Array<{ module: string; types: string[]; enabled: boolean; err?: string }>
    ).filter((s) => s.module === PACKAGE_NAME);
    assert.deepEqual(sets.flatMap((s) => s.types).sort(), TYPES);
    for (const s of sets) {
      assert.equal(s.err, undefined, `${s.types.join(', ')}: ${s.err}`);
      assert.equal(s.enabled, true);
    }
    // Loaded from <userDir>/node_modules (local), listed in the user dir's package.json as the palette
    // manager's --save leaves it (user), at the installed path.
    const info = await getJson<{ version: string; local: boolean; user: boolean; path: string }>(
      `${nodeRed!.baseUrl}/nodes/${PACKAGE_NAME}`,
    );
    assert.equal(info.version, PKG.version);
    assert.equal(info.local, true);
    assert.equal(info.user, true);
    assert.equal(realpathSync(info.path), realpathSync(installed));
    assert.doesNotMatch(nodeRed!.output(), /\[error\]/, nodeRed!.output().slice(-3000));
  });

  it('Import > Examples lists every example of the module', async () => {
    const modules = await getJson<string[]>(`${nodeRed!.baseUrl}/library/examples/flows/`);
    assert.ok(modules.includes(PACKAGE_NAME), `modules with examples: ${modules.join(', ')}`);
    const offered = await fetchExamples(nodeRed!.baseUrl, PACKAGE_NAME);
    assert.deepEqual(
      offered.map((e) => e.file),
      readExamples().map((e) => e.file),
    );
  });

  it('the installed CLI answers --help through npx', async () => {
    // --no: fail rather than fetch a package of that name from the registry.
    const out = await npm(['--no', '--', 'avaya-analytics-sim', '--help'], userDir, 'npx');
    assert.match(out, /^Usage: avaya-analytics-sim \[options\]/);
    assert.match(out, /--port <n>/);
    assert.match(out, /--plain/);
  });

  it('example 01, deployed against the simulator the installed CLI runs, gets every agent of the pumpup', async function () {
    this.timeout(90_000);
    const bin = join(installed, 'dist', 'simulator', 'cli.js');
    assert.equal(realpathSync(join(userDir, 'node_modules', '.bin', 'avaya-analytics-sim')), realpathSync(bin));
    sim = await startCliSimulator(bin, join(work.path, 'sim-certs'));
    assert.ok(sim.caPath.startsWith(join(work.path, 'sim-certs')), sim.caPath);

    comms = await DebugComms.connect(nodeRed!.baseUrl);
    const example01 = (await fetchExamples(nodeRed!.baseUrl, PACKAGE_NAME)).filter((e: ExampleFile) =>
      e.file.startsWith('01-'),
    );
    assert.equal(example01.length, 1);
    const flows = deployable(example01, {
      restUrl: sim.restUrl,
      caPem: readFileSync(sim.caPath, 'utf8'),
      username: sim.username,
      password: sim.password,
    });
    const res = await fetch(`${nodeRed!.baseUrl}/flows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
      body: JSON.stringify(flows),
    });
    assert.ok(res.ok, `deploy: HTTP ${res.status} ${await res.text()}`);

    await comms.waitFor('aa-ex1-debug-control', (v) => (v === 'pumpupComplete' ? v : undefined), 45_000);
    const truth = await getJson<Record<string, Array<{ dimension: Record<string, string> }>>>(
      `${sim.controlUrl.replace(/\/$/, '')}/truth?user=${encodeURIComponent(sim.username)}&producer=${encodeURIComponent(PRODUCER)}`,
    );
    const agents = (truth[PRODUCER] ?? []).map((e) => `${PRODUCER}/agentId=${e.dimension.agentId}`).sort();
    assert.ok(agents.length > 0, 'the simulator has no agents for the user');
    // The debug node shows whole msgs of subscribe output 1: data msgs, and the lifecycle events (no pumpup) in-band.
    const rows = comms.valuesOf('aa-ex1-debug-data') as Array<DataMessage | (LifecycleMessage & { pumpup?: never })>;
    const pumped = [...new Set(rows.filter((m) => m.pumpup === true).map((m) => m.topic))].sort();
    assert.deepEqual(pumped, agents);
    assert.equal(rows[0]!.producer, PRODUCER);
    if (LOG)
      process.stdout.write(
        `${rows.length} rows from ${sim.restUrl} as ${sim.username}; control: ${comms.valuesOf('aa-ex1-debug-control').join(', ')}\n`,
      );
  });
});
