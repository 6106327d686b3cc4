#!/usr/bin/env node
// avaya-analytics-sim: runs the simulator until Ctrl-C / SIGTERM and prints where to reach it.
import { HELP, parseCli } from './cli-args';
import { startSimulator, WEBSOCKET_PATH } from './index';
import type { RunningSimulator } from './options';

function describe(sim: RunningSimulator, rate: number | 'max'): string {
  const rest = new URL(sim.restUrl);
  const ws = `${rest.protocol === 'https:' ? 'wss' : 'ws'}://${rest.host}${WEBSOCKET_PATH}`;
  const lines = [
    'Avaya Analytics Open Interface simulator',
    `  REST URL     ${sim.restUrl}`,
    `  WebSocket    ${ws}`,
    `  Control URL  ${sim.controlUrl}  (loopback only; see simulator/README.md)`,
    `  CA           ${sim.caPath ?? 'none (plain HTTP)'}${sim.caPath ? "  (trust this CA in the client's TLS settings)" : ''}`,
    `  Rate         ${rate === 'max' ? 'flat out' : `${rate} events/s`}`,
    'Users (username / password):',
    ...sim.users.map((u) => `  ${u.username} / ${u.password}   groups: ${u.groups.join(', ')}`),
    'Press Ctrl-C to stop.',
  ];
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  let command;
  try {
    command = parseCli(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${HELP}\n`);
    process.exitCode = 2;
    return;
  }
  if (command.kind === 'help') {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const log = command.verbose ? (line: string) => process.stderr.write(`[sim] ${line}\n`) : undefined;
  const sim = await startSimulator({ ...command.options, ...(log ? { log } : {}) });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1); // a second Ctrl-C does not wait
    stopping = true;
    process.stdout.write(`${signal}: stopping\n`);
    sim.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`error while stopping: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Printed once Ctrl-C is handled: a caller that waits for "Press Ctrl-C" and signals at once (the CLI test, on a
  // loaded machine) must not meet Node's default handler, which ends the process with no exit code.
  process.stdout.write(describe(sim, command.options.rate ?? 5));
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  const message =
    code === 'EADDRINUSE'
      ? `${(error as Error).message}: choose another --port / --control-port`
      : (error as Error).message;
  process.stderr.write(`avaya-analytics-sim: ${message}\n`);
  process.exit(1);
});
