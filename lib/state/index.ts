// The state store: accumulated per-entity views from Open Interface delta updates (no Node-RED here).
export { StateStore, DEFAULT_MAX_ENTITIES } from './store.js';
export { EntityRecord } from './entity-record.js';
export { MAX_MEASURES_PER_PRODUCER } from './producer-view.js';
export { toRecord, toEpochMs, STATE_SINCE, TIME_IN_STATE } from './record.js';
export { toLabelMap, type LabelMap } from './labels.js';
export { StateInputError, StateFormatError } from './errors.js';
export {
  PERSISTED_FORMAT,
  PERSISTED_VERSION,
  type PersistedState,
  type PersistedProducer,
  type PersistedEntity,
} from './persisted.js';
export type { EntityUpdate, StateChange, Rejection, ApplyResult, StateStoreOptions, EntityFilter } from './types.js';
