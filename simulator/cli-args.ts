// Command-line flags of the simulator (avaya-analytics-sim) → SimulatorOptions.
import { parseArgs } from 'node:util';
import type { SimulatorOptions } from './options';

export const DEFAULT_CLI_PORT = 8443;
export const DEFAULT_CLI_CONTROL_PORT = 8444;

export const HELP = `Usage: avaya-analytics-sim [options]

Simulates the Avaya Analytics REST & WebSocket Open Interface (release 4.x) so flows can be built
and tested without an Avaya system.

Options:
  --port <n>            REST + WebSocket port (default ${DEFAULT_CLI_PORT}; 0 = any free port)
  --control-port <n>    control API port, always on 127.0.0.1 (default ${DEFAULT_CLI_CONTROL_PORT}; 0 = any)
  --host <address>      address to listen on (default 127.0.0.1)
  --plain               plain HTTP/WS instead of HTTPS/WSS
  --cert-dir <dir>      where to write ca.pem and the server certificate, kept across starts (default: a temp dir)
  --seed <n>            seed of the simulated contact center (default 1)
  --agents <n>          number of agents (default 50)
  --groups <n>          number of agent groups (default: the model's)
  --rate <n|max>        model events per second; 0 pauses; max = as fast as the sockets drain (default 5)
  --heartbeat-ms <n>    server heartbeat interval (default 8000; clients time out after 3 intervals)
  --token-lifetime <s>  JWT lifetime in seconds (default 86400)
  --encoding <e>        dimension/realtimeData as object | string | mixed JSON (default mixed)
  --envelope <e>        long | short | mixed message envelope (default long)
  --verbose             log connections, subscriptions and faults to stderr
  --help                show this help

The guide leaves the wire form of a pumpup request open: re-sending a subscriptionRedirect for a
stream already on the socket makes the simulator send a fresh pumpup.`;

export type CliCommand = { kind: 'help' } | { kind: 'run'; options: SimulatorOptions; verbose: boolean };

function integer(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text))
    throw new RangeError(`--${flag} must be a non-negative integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

function choice<T extends string>(flag: string, text: string | undefined, allowed: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if (!allowed.includes(text as T)) throw new RangeError(`--${flag} must be one of ${allowed.join(', ')}`);
  return text as T;
}

/** Throws a RangeError/TypeError with a message fit for the terminal on bad flags. */
export function parseCli(argv: string[]): CliCommand {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      'control-port': { type: 'string' },
      host: { type: 'string' },
      plain: { type: 'boolean' },
      'cert-dir': { type: 'string' },
      seed: { type: 'string' },
      agents: { type: 'string' },
      groups: { type: 'string' },
      rate: { type: 'string' },
      'heartbeat-ms': { type: 'string' },
      'token-lifetime': { type: 'string' },
      encoding: { type: 'string' },
      envelope: { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { kind: 'help' };
  const rate = values.rate === undefined ? undefined : values.rate === 'max' ? 'max' : Number(values.rate);
  if (typeof rate === 'number' && !(Number.isFinite(rate) && rate >= 0))
    throw new RangeError('--rate must be a number of events per second or "max"');
  const options: SimulatorOptions = {
    port: integer('port', values.port) ?? DEFAULT_CLI_PORT,
    controlPort: integer('control-port', values['control-port']) ?? DEFAULT_CLI_CONTROL_PORT,
    tls: !values.plain,
  };
  const optional: SimulatorOptions = {
    host: values.host,
    certDir: values['cert-dir'],
    seed: integer('seed', values.seed),
    agents: integer('agents', values.agents),
    groups: integer('groups', values.groups),
    rate,
    heartbeatIntervalMs: integer('heartbeat-ms', values['heartbeat-ms']),
    tokenLifetimeSec: integer('token-lifetime', values['token-lifetime']),
    encoding: choice('encoding', values.encoding, ['object', 'string', 'mixed'] as const),
    envelope: choice('envelope', values.envelope, ['long', 'short', 'mixed'] as const),
  };
  for (const [key, value] of Object.entries(optional))
    if (value !== undefined) (options as Record<string, unknown>)[key] = value;
  return { kind: 'run', options, verbose: values.verbose === true };
}
