// The Avaya Analytics Open Interface simulator: a standalone server speaking the REST & WebSocket
// interface (release 4.x) so flows can be built and tested without an Avaya system.
import { createModel } from './model/index.js';
import type { RunningSimulator, SimulatorOptions } from './options.js';
import { launchSimulator } from './server.js';

export type {
  AgentRemoval,
  FaultEndpoint,
  RunningSimulator,
  SimulatorControl,
  SimulatorOptions,
  SimulatorStats,
  UserStats,
} from './options.js';
export { FAULT_ENDPOINTS } from './options.js';
export { WEBSOCKET_PATH } from './server.js';
export type { Entity, SimUser, TrafficModel } from './model/contract.js';
export type { SubscriptionResponse } from './subscriptions.js';

export function startSimulator(options?: SimulatorOptions): Promise<RunningSimulator> {
  return launchSimulator(options, createModel);
}
