// The accumulated view (lib/state): per-entity records built from Open Interface delta updates, with no
// Node-RED here. This entry point is what a library user of the view needs; nodes and tests import
// internals (records, labels, input checks…) from their modules.
export { StateStore, DEFAULT_MAX_ENTITIES } from './store';
export { MAX_MEASURES_PER_PRODUCER } from './producer-view';
export { STATE_SINCE, TIME_IN_STATE } from './record-shape';
export { StateInputError, StateFormatError } from './errors';
export {
  PERSISTED_FORMAT,
  PERSISTED_VERSION,
  type PersistedState,
  type PersistedProducer,
  type PersistedEntity,
} from './persisted';
export type { EntityUpdate, StateChange, Rejection, ApplyResult, StateStoreOptions, EntityFilter } from './types';
