// `npm start`: the Open Interface simulator (HTTPS with its own CA) in this process, Node-RED 4 from the
// devDependency as a child process with this package and Dashboard 2, and, in a fresh user dir, the
// demo flow wired to the simulator. Prints the editor and wallboard URLs. Ctrl-C stops both; a second
// Ctrl-C stops at once. Settings come from the environment (scripts/demo-config.ts, README).
import * as path from 'node:path';
import { startSimulator, type RunningSimulator } from '../simulator/index';
import { DemoConfigError, readDemoConfig, type DemoConfig } from './demo-config';
import { DASHBOARD_PATH, WALLBOARD_PAGE_PATH } from './demo-dashboard';
import { DEMO_ENV, DEMO_NOT_READY_LIMIT, demoFlow } from './demo-flow';
import {
  assertModulesLoaded,
  DASHBOARD_PACKAGE,
  isPortFree,
  PACKAGE_NAME,
  prepareUserDir,
  startNodeRed,
  type NodeRedProcess,
} from './node-red-process';

/** The demo flow logs in as the first simulator user; the examples are meant for the second. */
const DEMO_USER_INDEX = 0;
const EXAMPLES_USER_INDEX = 1;

async function startSim(config: DemoConfig): Promise<RunningSimulator> {
  try {
    return await startSimulator({
      port: config.simPort,
      controlPort: config.simControlPort,
      certDir: path.join(config.userDir, 'simulator'),
      agents: config.agents,
      rate: config.rate,
      seed: 1,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(
        `the simulator's port ${config.simPort} or ${config.simControlPort} is in use: set SIM_PORT / SIM_CONTROL_PORT`,
        { cause: err },
      );
    }
    throw err;
  }
}

/** Deploys the demo flow into an empty user dir only: a second start keeps whatever the user changed. */
async function deployDemoFlowIfEmpty(baseUrl: string, sim: RunningSimulator): Promise<boolean> {
  const current = await (await fetch(`${baseUrl}/flows`)).json();
  if (Array.isArray(current) && current.length > 0) return false;
  const user = sim.users[DEMO_USER_INDEX];
  if (!user) throw new Error('the simulator has no users');
  const res = await fetch(`${baseUrl}/flows`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
    body: JSON.stringify(demoFlow({ username: user.username, password: user.password })),
  });
  if (!res.ok) throw new Error(`deploying the demo flow failed: HTTP ${res.status} ${await res.text()}`);
  return true;
}

function banner(config: DemoConfig, nodeRed: NodeRedProcess, sim: RunningSimulator, deployed: boolean): string {
  const examplesUser = sim.users[EXAMPLES_USER_INDEX] ?? sim.users[DEMO_USER_INDEX];
  const lines = [
    '',
    'Avaya Analytics demo is running',
    `  Wallboard  ${nodeRed.baseUrl}${DASHBOARD_PATH}${WALLBOARD_PAGE_PATH}`,
    `  Editor     ${nodeRed.baseUrl}/`,
    `  Simulator  ${sim.restUrl}   CA ${sim.caPath ?? '(none)'}   control API ${sim.controlUrl}`,
    `  Examples   editor menu Import > Examples > ${PACKAGE_NAME}; log them in as ${examplesUser?.username} / ${examplesUser?.password}`,
    deployed
      ? `  User dir   ${config.userDir} (the demo flow was deployed into it)`
      : `  User dir   ${config.userDir} (flows kept; delete its flows.json to get the demo flow back)`,
    'Press Ctrl-C to stop.',
    '',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const config = readDemoConfig();
  if (!(await isPortFree(config.nodeRedPort, config.nodeRedHost))) {
    throw new Error(`port ${config.nodeRedPort} is in use (another Node-RED?): set NODE_RED_PORT`);
  }
  prepareUserDir(config.userDir);
  const sim = await startSim(config);
  const nodeRed = startNodeRed({
    userDir: config.userDir,
    port: config.nodeRedPort,
    host: config.nodeRedHost,
    env: {
      [DEMO_ENV.url]: sim.restUrl,
      [DEMO_ENV.ca]: sim.caPath ?? '',
      [DEMO_ENV.notReadyLimit]: process.env[DEMO_ENV.notReadyLimit] || DEMO_NOT_READY_LIMIT,
    },
  });

  let stopping: Promise<never> | null = null;
  /** Stops Node-RED (it unsubscribes), then the simulator, then exits; every later call waits for the first. */
  const stop = (code: number): Promise<never> =>
    (stopping ??= (async () => {
      process.stdout.write('\nStopping Node-RED and the simulator…\n');
      const nodeRedCode = await nodeRed.stop();
      await sim.close();
      process.exit(code !== 0 ? code : (nodeRedCode ?? 0));
    })());
  const onSignal = (): void => {
    if (stopping) {
      // A second Ctrl-C: do not wait for a clean stop.
      process.stderr.write('Second interrupt: killing Node-RED\n');
      nodeRed.child.kill('SIGKILL');
      process.exit(1);
    }
    void stop(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  nodeRed.child.once('exit', (code) => {
    if (stopping) return; // our own stop
    process.stderr.write(`Node-RED exited (${code ?? 'signal'}); stopping the simulator\n`);
    void stop(code || 1);
  });

  try {
    await nodeRed.ready();
    await assertModulesLoaded(nodeRed.baseUrl, [PACKAGE_NAME, DASHBOARD_PACKAGE]);
    const deployed = await deployDemoFlowIfEmpty(nodeRed.baseUrl, sim);
    process.stdout.write(banner(config, nodeRed, sim, deployed));
  } catch (err) {
    process.stderr.write(`npm start failed: ${message(err)}\n`);
    await stop(1);
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

main().catch((err: unknown) => {
  process.stderr.write(`npm start failed: ${err instanceof DemoConfigError ? err.message : message(err)}\n`);
  process.exit(1);
});
