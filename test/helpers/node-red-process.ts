// A REAL Node-RED (the one test/helpers/node-red-selection.ts selects) as a child process, with this package
// installed into a fresh user directory the way `npm install` would leave it (a symlink under
// node_modules/@realtime-cc), on a free loopback port. Used by the runtime test and the browser tests.
// The user dir and the child process are the project's one launcher's (scripts/node-red-process.ts);
// this adds what only tests want: a throwaway dir, test settings (adminAuth users), tokens, cleanup.
import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, prepareUserDir, startNodeRed as spawnNodeRed } from '../../scripts/node-red-process';
import { NODE_RED_CLI, requireFromNodeRed } from './node-red-selection';

/** The one free-port probe of the project (tests import it from here too). */
export { freePort };
export const REPO = resolve(__dirname, '..', '..', '..');
export const PACKAGE = '@realtime-cc/node-red-avaya-analytics';

export interface AdminUser {
  username: string;
  password: string;
  /** "*" or "read" (Node-RED adminAuth permissions). */
  permissions: string;
}

export interface StartOptions {
  /** adminAuth users; none = an editor without login. */
  users?: AdminUser[];
  /** Extra settings.js entries (merged over the defaults below). */
  settings?: Record<string, unknown>;
  /** Milliseconds to wait for the admin API to answer. */
  startTimeoutMs?: number;
}

export interface NodeRedProcess {
  /** http://127.0.0.1:<port> */
  base: string;
  userDir: string;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** An admin API access token for a user of `users`. */
  token(username: string, password: string, scope: string): Promise<string>;
  /** Kills the process if it still runs and removes the user directory. */
  close(): Promise<void>;
}

function testSettings(port: number, options: StartOptions): Record<string, unknown> {
  const settings: Record<string, unknown> = {
    uiHost: '127.0.0.1',
    uiPort: port,
    flowFile: 'flows.json',
    credentialSecret: 'runtime-test-secret',
    httpNodeRoot: '/api',
    logging: { console: { level: 'debug', metrics: false, audit: false } },
    diagnostics: { enabled: false },
    telemetry: { enabled: false },
    runtimeState: { enabled: false },
    // No tours, no projects, no update check: nothing may reach beyond loopback.
    editorTheme: { projects: { enabled: false }, tours: false, palette: { catalogues: [] } },
    externalModules: { palette: { allowInstall: false } },
    ...options.settings,
  };
  if (options.users?.length) {
    // bcryptjs ships with node-red (its adminAuth accepts $2a$/$2b$ hashes).
    const bcrypt = requireFromNodeRed<{ hashSync(text: string, rounds: number): string }>('bcryptjs');
    settings.adminAuth = {
      type: 'credentials',
      users: options.users.map((u) => ({
        username: u.username,
        password: bcrypt.hashSync(u.password, 8),
        permissions: u.permissions,
      })),
    };
  }
  return settings;
}

/** Starts Node-RED with the package; rejects (with its output) if it exits or does not come up. */
export async function startNodeRed(options: StartOptions = {}): Promise<NodeRedProcess> {
  // The editor files (HTML, locales, icons) sit beside the compiled nodes only after this step.
  execFileSync(process.execPath, [join(REPO, 'scripts', 'copy-assets.js')], { stdio: 'ignore' });
  const userDir = await mkdtemp(join(tmpdir(), 'aa-node-red-'));
  const port = await freePort();
  prepareUserDir(userDir, testSettings(port, options));
  const nodeRed = spawnNodeRed({ userDir, port, output: 'pipe', cli: NODE_RED_CLI });
  const base = nodeRed.baseUrl;
  const child = nodeRed.child;

  const close = async (): Promise<void> => {
    await nodeRed.stop(0); // SIGKILL: a test's Node-RED needs no graceful stop
    await rm(userDir, { recursive: true, force: true });
  };

  try {
    await nodeRed.ready(options.startTimeoutMs ?? 45_000);
  } catch (err) {
    await close();
    throw err;
  }

  async function token(username: string, password: string, scope: string): Promise<string> {
    const res = await fetch(`${base}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope, username, password }),
    });
    if (res.status !== 200) throw new Error(`login of ${username} to Node-RED failed: HTTP ${res.status}`);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  return { base, userDir, child, output: () => nodeRed.output(), token, close };
}
