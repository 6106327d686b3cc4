// The state store: accumulated per-entity views from Open Interface delta updates (no Node-RED here).
export { StateStore, DEFAULT_MAX_ENTITIES } from './store';
export { EntityRecord } from './entity-record';
export { MAX_MEASURES_PER_PRODUCER } from './producer-view';
export { toRecord, toEpochMs, STATE_SINCE, TIME_IN_STATE } from './record';
export { toLabelMap, type LabelMap } from './labels';
export { StateInputError, StateFormatError } from './errors';
export {
  PERSISTED_FORMAT,
  PERSISTED_VERSION,
  type PersistedState,
  type PersistedProducer,
  type PersistedEntity,
} from './persisted';
export type { EntityUpdate, StateChange, Rejection, ApplyResult, StateStoreOptions, EntityFilter } from './types';
