// Entry point of the simulator's contact-center model: `createModel(options)` gives the
// TrafficModel the server serves (catalog, dictionaries, dimension data, entities, deltas).
import type { ModelOptions, TrafficModel } from './contract';
import { ContactCenterModel } from './model';

export * from './contract';

export function createModel(options: ModelOptions): TrafficModel {
  return new ContactCenterModel(options);
}
