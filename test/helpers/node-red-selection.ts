// Which Node-RED the tests run against. By default the root devDependency (Node-RED 4.1); with
// TEST_NODE_RED_PREFIX=<folder> the `node-red` installed in that npm prefix instead — CI's second run
// sets it to test/compat/node22, which holds Node-RED 5 and Node.js 22 (see .ci/run). Every test that
// loads Node-RED (the test helper, the core nodes it borrows, a Node-RED child process) resolves it
// here, so one variable switches the whole suite.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..', '..');

function prefix(): string {
  const given = process.env.TEST_NODE_RED_PREFIX;
  if (!given) return REPO;
  const dir = isAbsolute(given) ? given : resolve(REPO, given);
  if (!existsSync(join(dir, 'node_modules', 'node-red', 'package.json'))) {
    throw new Error(`TEST_NODE_RED_PREFIX=${given}: no node-red installed there (run \`npm ci --prefix ${given}\`)`);
  }
  return dir;
}

/** The npm prefix whose node_modules/node-red is used. */
export const NODE_RED_PREFIX = prefix();

/** Folder of the node-red package in use. */
export const NODE_RED_DIR = dirname(require.resolve('node-red/package.json', { paths: [NODE_RED_PREFIX] }));

/** Its version, e.g. "4.1.15" or "5.0.7". */
export const NODE_RED_VERSION = (
  JSON.parse(readFileSync(join(NODE_RED_DIR, 'package.json'), 'utf8')) as { version: string }
).version;

/** The module node-red-node-test-helper's init() takes (the package's main, lib/red.js). */
export const NODE_RED_MAIN = require.resolve('node-red', { paths: [NODE_RED_PREFIX] });

/** The command-line entry point of a Node-RED child process. */
export const NODE_RED_CLI = join(NODE_RED_DIR, 'red.js');

/** Requires a module as that Node-RED sees it (its own @node-red/*, bcryptjs, …). */
export function requireFromNodeRed<T = unknown>(id: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads from the selected Node-RED's folder
  return require(require.resolve(id, { paths: [NODE_RED_DIR] })) as T;
}
