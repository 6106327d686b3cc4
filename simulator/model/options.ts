// Validation and defaults of ModelOptions. Bad options throw a TypeError/RangeError that names the
// option; they never produce a half-built model.
import type { ModelOptions, SimUser } from './contract';

export interface ResolvedOptions {
  seed: number;
  agents: number;
  groups: number;
  users: SimUser[] | undefined;
  startTime: number;
  agentIds: string[];
  contactDetailWindow: number;
  announceEvictions: boolean;
  warmupEvents: number;
}

export const MAX_GROUPS = 10;
const MAX_AGENTS = 200_000;

function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`${name} must be an integer`);
  if (value < min || value > max) throw new RangeError(`${name} must be between ${min} and ${max}`);
  return value;
}

function nonEmptyString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${name} must be a non-empty string`);
  return value;
}

function validateUsers(users: unknown): SimUser[] {
  if (!Array.isArray(users)) throw new TypeError('users must be an array');
  const seen = new Set<string>();
  return users.map((u: unknown, i) => {
    if (typeof u !== 'object' || u === null) throw new TypeError(`users[${i}] must be an object`);
    const { username, password, groups } = u as Record<string, unknown>;
    const name = nonEmptyString(`users[${i}].username`, username);
    if (seen.has(name)) throw new RangeError(`users[${i}].username is a duplicate`);
    seen.add(name);
    if (typeof password !== 'string') throw new TypeError(`users[${i}].password must be a string`);
    if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string'))
      throw new TypeError(`users[${i}].groups must be an array of strings`);
    return Object.freeze({ username: name, password, groups: Object.freeze([...groups]) as string[] });
  });
}

export function resolveOptions(options: ModelOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  if (typeof options.seed !== 'number' || !Number.isFinite(options.seed))
    throw new TypeError('seed must be a finite number');
  const agents = integer('agents', options.agents, 1, MAX_AGENTS);
  const groups = options.groups === undefined ? Math.min(4, agents) : integer('groups', options.groups, 1, MAX_GROUPS);
  const startTime = options.startTime === undefined ? Date.now() : options.startTime;
  if (typeof startTime !== 'number' || !Number.isFinite(startTime) || startTime < 0)
    throw new TypeError('startTime must be a non-negative epoch-ms number');
  const agentIds = options.agentIds === undefined ? [] : options.agentIds;
  if (!Array.isArray(agentIds)) throw new TypeError('agentIds must be an array');
  const uniqueIds = new Set<string>();
  agentIds.forEach((id, i) => {
    nonEmptyString(`agentIds[${i}]`, id);
    if (uniqueIds.has(id)) throw new RangeError(`agentIds[${i}] is a duplicate`);
    uniqueIds.add(id);
  });
  if (agentIds.length > agents) throw new RangeError('agentIds has more ids than agents');
  const contactDetailWindow =
    options.contactDetailWindow === undefined
      ? 2000
      : integer('contactDetailWindow', options.contactDetailWindow, 1, 10_000_000);
  if (options.announceEvictions !== undefined && typeof options.announceEvictions !== 'boolean')
    throw new TypeError('announceEvictions must be a boolean');
  const warmupEvents =
    options.warmupEvents === undefined
      ? Math.min(agents * 10, 100_000)
      : integer('warmupEvents', options.warmupEvents, 0, 100_000_000);
  return {
    seed: options.seed,
    agents,
    groups,
    users: options.users === undefined ? undefined : validateUsers(options.users),
    startTime: Math.floor(startTime),
    agentIds: [...agentIds],
    contactDetailWindow,
    announceEvictions: options.announceEvictions ?? false,
    warmupEvents,
  };
}
