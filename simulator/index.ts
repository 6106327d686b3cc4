// The Avaya Analytics Open Interface simulator: a standalone server speaking the REST & WebSocket
// interface (release 4.x) so flows can be built and tested without an Avaya system.
import { createModel } from './model/index';
import type { RunningSimulator, SimulatorOptions } from './options';
import { launchSimulator } from './server';

export type {
  AgentRemoval,
  FaultEndpoint,
  RunningSimulator,
  SimulatorControl,
  SimulatorOptions,
  SimulatorStats,
  UserStats,
} from './options';
export { FAULT_ENDPOINTS } from './options';
export { WEBSOCKET_PATH } from './server';
export type { Entity, SimUser, TrafficModel } from './model/contract';
export type { SubscriptionResponse } from './subscriptions';

export function startSimulator(options?: SimulatorOptions): Promise<RunningSimulator> {
  return launchSimulator(options, createModel);
}
