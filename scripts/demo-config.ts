// The `npm start` demo's settings, from environment variables (README: "npm start"). A bad value stops
// the start with a message naming the variable, rather than a stack trace from deep inside.
import * as path from 'node:path';
import { REPO_ROOT } from './node-red-process';

export interface DemoConfig {
  userDir: string;
  nodeRedHost: string;
  nodeRedPort: number;
  simPort: number;
  simControlPort: number;
  agents: number;
  /** Simulator model events per second. */
  rate: number;
}

export class DemoConfigError extends Error {
  override name = 'DemoConfigError';
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new DemoConfigError(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new DemoConfigError(`${name} must be a number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function readDemoConfig(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  const host = (env.NODE_RED_HOST ?? '').trim() || '127.0.0.1';
  if (!/^[A-Za-z0-9.:-]+$/.test(host))
    throw new DemoConfigError(`NODE_RED_HOST must be a host name or address, got ${JSON.stringify(host)}`);
  return {
    userDir: path.resolve(env.NODE_RED_USER_DIR?.trim() || path.join(REPO_ROOT, '.node-red-user')),
    nodeRedHost: host,
    // Node-RED needs a fixed port (its URL is printed); the simulator may take any free one (0).
    nodeRedPort: integer(env, 'NODE_RED_PORT', 1880, 1, 65535),
    simPort: integer(env, 'SIM_PORT', 8443, 0, 65535),
    simControlPort: integer(env, 'SIM_CONTROL_PORT', 8444, 0, 65535),
    agents: integer(env, 'SIM_AGENTS', 40, 1, 5000),
    rate: number(env, 'SIM_RATE', 4, 0, 1000),
  };
}
