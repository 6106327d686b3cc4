// The state node's configuration, checked once at start: anything unusable falls back to the default
// (and says so) rather than failing the node.
import { DEFAULT_MAX_ENTITIES } from '../../lib/state/index';
import type { NodeDef } from '../shared/node-red';
import { CONTEXT_KEY, STORE_NAME } from '../shared/vocabulary';

export type EmitMode = 'all' | 'measures' | 'never';
export type PersistScope = 'none' | 'flow' | 'global';

export interface StateNodeDef extends NodeDef {
  emit?: string;
  measures?: string;
  maxEntities?: number | string;
  derived?: boolean;
  persist?: string;
  store?: string;
  persistKey?: string;
  persistInterval?: number | string;
  version?: number;
}

export interface StateConfig {
  emit: EmitMode;
  /** Measures that trigger an output in emit mode "measures". */
  measures: ReadonlySet<string>;
  maxEntities: number;
  derived: boolean;
  persist: PersistScope;
  /** Context store name; undefined = the default store. */
  store: string | undefined;
  persistKey: string;
  persistIntervalMs: number;
  /** i18n keys of the settings that were unusable and replaced by their default. */
  problems: string[];
}

export const DEFAULT_PERSIST_INTERVAL_S = 5;
// A context key is also a property path ("a.b" is nested): keep it to one plain name.

export function parseConfig(def: StateNodeDef): StateConfig {
  const problems: string[] = [];
  const emit: EmitMode = def.emit === 'measures' || def.emit === 'never' ? def.emit : 'all';
  if (def.emit !== undefined && def.emit !== emit) problems.push('bad-emit');

  const measures = new Set(
    String(def.measures ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter((m) => m.length > 0),
  );
  if (emit === 'measures' && measures.size === 0) problems.push('no-measures');

  let maxEntities = Number(def.maxEntities ?? DEFAULT_MAX_ENTITIES);
  if (!Number.isInteger(maxEntities) || maxEntities < 1) {
    problems.push('bad-max');
    maxEntities = DEFAULT_MAX_ENTITIES;
  }

  let persist: PersistScope = def.persist === 'flow' || def.persist === 'global' ? def.persist : 'none';
  const store = typeof def.store === 'string' && def.store.trim() !== '' ? def.store.trim() : undefined;
  if (store !== undefined && !STORE_NAME.test(store)) {
    problems.push('bad-store');
    persist = 'none';
  }
  const given = typeof def.persistKey === 'string' ? def.persistKey.trim() : '';
  const persistKey = given !== '' ? given : 'avayaState_' + def.id.replace(/[^A-Za-z0-9_]/g, '_');
  if (!CONTEXT_KEY.test(persistKey)) {
    problems.push('bad-key');
    persist = 'none';
  }

  let interval = Number(def.persistInterval ?? DEFAULT_PERSIST_INTERVAL_S);
  if (!Number.isFinite(interval) || interval < 0.1 || interval > 3600) {
    problems.push('bad-interval');
    interval = DEFAULT_PERSIST_INTERVAL_S;
  }

  return {
    emit,
    measures,
    maxEntities,
    derived: def.derived !== false,
    persist,
    store,
    persistKey,
    persistIntervalMs: Math.round(interval * 1000),
    problems,
  };
}
