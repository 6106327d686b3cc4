// The one Node-RED launcher of the project, shared by `npm start`, the demo cluster, the tests and the
// bench. Two entry points over one user-dir preparation (linkPackage / prepareUserDir / settingsSource):
// startNodeRed spawns Node-RED as a child process (npm start, the tests: a real runtime with its editor,
// admin API and own process, killable), embedNodeRed runs RED.init + RED.start inside this process (the
// bench: it reads node objects with RED.nodes.getNode and measures in the same heap, which no child
// process allows).
// Node-RED 4 from the devDependency (or the one `cli` names) as a child process, with this package
// installed into a user dir: what `npm start` runs, and what the demo and example tests start. Node-RED finds node
// modules in
// <userDir>/node_modules and in every node_modules folder above its own core nodes, i.e. this repo's
// node_modules: that is how the Dashboard 2 devDependency (@flowfuse/node-red-dashboard) gets loaded.
// This package itself lives at the repo root, not in a node_modules folder, so it is symlinked into
// the user dir (Node-RED then loads the freshly built dist/ straight from the repo).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { createServer } from 'node:net';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const PACKAGE_NAME = '@realtime-cc/node-red-avaya-analytics';
export const DASHBOARD_PACKAGE = '@flowfuse/node-red-dashboard';

/**
 * Installs this package into `userDir` where Node-RED looks for modules: a symlink
 * <userDir>/node_modules/@realtime-cc/node-red-avaya-analytics to the repo (the built dist/ loads from there).
 */
export function linkPackage(userDir: string): void {
  const scope = path.join(userDir, 'node_modules', '@realtime-cc');
  fs.mkdirSync(scope, { recursive: true });
  const link = path.join(scope, 'node-red-avaya-analytics');
  const existing = fs.lstatSync(link, { throwIfNoEntry: false });
  // A real directory there is an install the user made on purpose: leave it. A stale link is renewed.
  if (existing?.isSymbolicLink() && !pointsTo(link, REPO_ROOT)) fs.unlinkSync(link);
  if (!existing || !fs.existsSync(link)) fs.symlinkSync(REPO_ROOT, link, 'dir');
}

/**
 * Makes `userDir` a Node-RED user dir with this package installed (a symlink to the repo) and a
 * settings.js, unless one exists: a second start keeps whatever the user changed. `settings` are
 * written into a new settings.js on top of the demo's defaults.
 */
export function prepareUserDir(userDir: string, settings: Record<string, unknown> = {}): void {
  linkPackage(userDir);
  const pkgFile = path.join(userDir, 'package.json');
  if (!fs.existsSync(pkgFile)) {
    // Lists the package as user-installed, so the palette manager shows it.
    const pkg = {
      name: 'node-red-avaya-analytics-demo',
      private: true,
      dependencies: { [PACKAGE_NAME]: `file:${path.relative(userDir, REPO_ROOT) || '.'}` },
    };
    fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2) + '\n');
  }
  const settingsFile = path.join(userDir, 'settings.js');
  if (!fs.existsSync(settingsFile)) fs.writeFileSync(settingsFile, settingsSource(settings), { mode: 0o600 });
}

function pointsTo(link: string, target: string): boolean {
  try {
    return fs.realpathSync(link) === fs.realpathSync(target);
  } catch {
    return false; // dangling
  }
}

/** settings.js of a demo user dir: local only, its own credential key, no projects or tours. */
export function settingsSource(overrides: Record<string, unknown> = {}): string {
  const settings = {
    flowFile: 'flows.json',
    flowFilePretty: true,
    // Encrypts flows_cred.json (the supervisor's password); random per user dir, which git ignores.
    credentialSecret: randomBytes(24).toString('hex'),
    uiHost: '127.0.0.1',
    editorTheme: { projects: { enabled: false }, tours: false },
    telemetry: { enabled: false },
    logging: { console: { level: 'info', metrics: false, audit: false } },
    ...overrides,
  };
  return [
    '// Node-RED settings of the avaya-analytics demo user dir, written by scripts/node-red-process.ts once.',
    '// Edit freely: later starts keep this file. https://nodered.org/docs/user-guide/runtime/settings-file',
    `module.exports = ${JSON.stringify(settings, null, 4)};`,
    '',
  ].join('\n');
}

export interface NodeRedOptions {
  userDir: string;
  port: number;
  /** Address to listen on (overrides settings.js); default 127.0.0.1. */
  host?: string;
  /** Added to this process's environment (the demo flow reads its simulator URL from there). */
  env?: Record<string, string>;
  /** 'inherit' for npm start; 'pipe' collects the output (tests). */
  output?: 'inherit' | 'pipe';
  /** The red.js to run; default the node-red devDependency (tests pass another Node-RED's). */
  cli?: string;
}

export interface NodeRedProcess {
  readonly child: ChildProcess;
  /** http://host:port, no trailing slash. */
  readonly baseUrl: string;
  /** What Node-RED printed so far (only with output 'pipe'). */
  output(): string;
  /** Resolves once the admin API answers; rejects if Node-RED exits first or after `timeoutMs`. */
  ready(timeoutMs?: number): Promise<void>;
  /**
   * SIGINT (Node-RED stops its flows and exits), SIGKILL after `graceMs` (at once with 0: a test's throwaway
   * Node-RED); resolves with the exit code.
   */
  stop(graceMs?: number): Promise<number | null>;
}

export function startNodeRed(options: NodeRedOptions): NodeRedProcess {
  const host = options.host ?? '127.0.0.1';
  const redJs = options.cli ?? require.resolve('node-red/red.js');
  const args = [redJs, '--userDir', options.userDir, '--port', String(options.port), '-D', `uiHost=${host}`];
  const piped = options.output === 'pipe';
  const child = spawn(process.execPath, args, {
    cwd: options.userDir,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', piped ? 'pipe' : 'inherit', piped ? 'pipe' : 'inherit'],
  });
  let text = '';
  if (piped) {
    child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const baseUrl = `http://${urlHost}:${options.port}`;

  return {
    child,
    baseUrl,
    output: () => text,
    ready: (timeoutMs = 60_000) => waitForAdminApi(baseUrl, child, timeoutMs, () => text),
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(graceMs > 0 ? 'SIGINT' : 'SIGKILL');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

async function waitForAdminApi(
  baseUrl: string,
  child: ChildProcess,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const tail = output().slice(-2000);
      throw new Error(
        `Node-RED exited (${child.exitCode ?? child.signalCode}) before it served ${baseUrl}${tail ? `:\n${tail}` : ''}`,
      );
    }
    try {
      const res = await fetch(`${baseUrl}/settings`, { signal: AbortSignal.timeout(2000) });
      // 401: the admin API answers but wants a login (a settings.js with adminAuth).
      if (res.ok || res.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Node-RED did not answer on ${baseUrl} within ${Math.round(timeoutMs / 1000)} s`);
}

/** The part of Node-RED's embedding API (require('node-red')) that embedNodeRed uses. */
export interface EmbeddedRed {
  init(server: http.Server, settings: Record<string, unknown>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  nodes: { getNode(id: string): Record<string, unknown> | null };
  events: { once(event: string, listener: () => void): void };
}

export interface EmbeddedNodeRed {
  readonly red: EmbeddedRed;
  /** Stops the flows and the runtime, closes its (never listening) HTTP server. */
  stop(): Promise<void>;
}

/**
 * Node-RED embedded in this process: RED.init on `userDir` (prepared by the caller, e.g. with linkPackage)
 * with `settings`, then RED.start; resolves once the flows started, rejects after `startTimeoutMs`.
 */
export async function embedNodeRed(
  userDir: string,
  settings: Record<string, unknown>,
  startTimeoutMs = 30_000,
): Promise<EmbeddedNodeRed> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when embedding
  const red = require('node-red') as EmbeddedRed;
  const server = http.createServer();
  red.init(server, { userDir, ...settings });
  let timer: NodeJS.Timeout | undefined;
  const started = new Promise<void>((resolve, reject) => {
    red.events.once('flows:started', resolve);
    const seconds = Math.round(startTimeoutMs / 1000);
    timer = setTimeout(
      () => reject(new Error(`the flow did not start within ${seconds} s (see the log above)`)),
      startTimeoutMs,
    );
  });
  await red.start();
  await started.finally(() => clearTimeout(timer));
  return {
    red,
    async stop() {
      await red.stop();
      server.close();
    },
  };
}

/** Throws naming each module Node-RED did not load (or loaded with an error). */
export async function assertModulesLoaded(baseUrl: string, modules: readonly string[]): Promise<void> {
  const res = await fetch(`${baseUrl}/nodes`, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`GET ${baseUrl}/nodes answered HTTP ${res.status}`);
  const sets = (await res.json()) as Array<{ module: string; enabled: boolean; err?: string; types: string[] }>;
  const problems: string[] = [];
  for (const name of modules) {
    const mine = sets.filter((s) => s.module === name);
    if (mine.length === 0) problems.push(`${name} is not installed where Node-RED looks for modules`);
    for (const s of mine)
      if (s.err || !s.enabled) problems.push(`${name} (${s.types.join(', ')}): ${s.err ?? 'disabled'}`);
  }
  if (problems.length > 0) throw new Error(`Node-RED did not load every module:\n  ${problems.join('\n  ')}`);
}

/** A port that was free on 127.0.0.1 a moment ago (Node-RED, the broker and the demo take fixed ports). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Whether `port` can be bound on `host` right now (a clear message beats Node-RED's EADDRINUSE stack). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}
