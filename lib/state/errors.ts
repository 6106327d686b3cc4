// Errors of the state store. They name the offending field but never echo whole messages (which
// could be large or carry data the flow did not mean to log).
import { AnalyticsError } from '../errors';

/** A message the store cannot use: missing producer, dimension that is not an object, non-scalar measure… */
export class StateInputError extends AnalyticsError {
  constructor(message: string) {
    super('E_STATE_INPUT', message);
  }
}

/** A persisted view that is not in the format this store writes (or from an incompatible version). */
export class StateFormatError extends AnalyticsError {
  constructor(message: string) {
    super('E_STATE_FORMAT', message);
  }
}
