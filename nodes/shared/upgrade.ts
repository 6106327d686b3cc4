// Flows outlive releases: a flow saved by an older release of this package reaches a newer runtime
// with the properties of its day. Every node therefore carries `version` in its configuration (1 is
// the first release) and upgrades an older configuration when it is created: the steps written for
// each later version run in order, then every property still missing gets its current default (the
// same value the editor's defaults give). A configuration saved before `version` existed counts as
// the first release. Runs once per node creation, never per message.
import type { NodeDef } from './node-red';

/** The `version` of the first release; a configuration without one was saved by it. */
export const FIRST_VERSION = 1;

/** Upgrades a configuration of version `to - 1` to version `to` (renames, changed meanings). */
export interface UpgradeStep {
  to: number;
  upgrade(config: Record<string, unknown>): void;
}

/** What one node type's configuration looks like in this release. */
export interface ConfigSchema {
  /** The version this release writes (the editor's `version` default). */
  version: number;
  /** Every property and its default, as in the editor's `defaults` (a missing one gets this). */
  defaults: Readonly<Record<string, unknown>>;
  /** Steps from FIRST_VERSION + 1 up to `version`, in any order. */
  steps?: readonly UpgradeStep[];
}

/** The version a stored configuration says it has (missing or unusable: the first release). */
export function configVersion(config: Readonly<Record<string, unknown>>): number {
  const v = Number(config.version);
  return Number.isInteger(v) && v >= FIRST_VERSION ? v : FIRST_VERSION;
}

/**
 * A copy of `config` brought up to `schema.version`. The original is not touched (the runtime
 * keeps it). A configuration from a newer release is left at its own version: nothing is removed
 * or downgraded, only missing properties get defaults.
 */
export function upgradeConfig<T extends NodeDef>(config: T, schema: ConfigSchema): T & { version: number } {
  // A copy with every own property, also the runtime's non-enumerable _flow, _module and _path
  // (Node.status() and friends need them). Defining properties, unlike assigning them, keeps a
  // "__proto__" key of a stored flow a plain property.
  const proto = Object.getPrototypeOf(config) as object | null;
  const out = Object.create(proto, Object.getOwnPropertyDescriptors(config)) as Record<string, unknown>;
  const from = configVersion(config);
  if (from < schema.version && schema.steps) {
    const steps = [...schema.steps].filter((s) => s.to > from && s.to <= schema.version).sort((a, b) => a.to - b.to);
    for (const step of steps) step.upgrade(out);
  }
  for (const key of Object.keys(schema.defaults)) {
    if (out[key] === undefined) out[key] = cloneDefault(schema.defaults[key]);
  }
  out.version = Math.max(from, schema.version);
  return out as T & { version: number };
}

/** Defaults are plain JSON values; an object or array default must not be shared between nodes. */
function cloneDefault(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? structuredClone(value) : value;
}
