// The in-process control operations (faults, traffic, group changes, ground truth, stats). The HTTP
// control API is a thin JSON layer over this same object.
import type { Entity, TrafficModel } from '../model/contract';
import type { TokenService } from '../auth/token-service';
import type { Counters } from '../counters';
import type { FaultState } from '../faults';
import { FAULT_ENDPOINTS, validateRate, type SimulatorControl, type SimulatorStats, type UserStats } from '../options';
import type { SubscriptionRegistry } from '../subscriptions';
import type { TrafficDriver } from '../traffic';
import type { Publisher } from '../ws/publisher';

export interface ControlDeps {
  model: TrafficModel;
  tokens: TokenService;
  registry: SubscriptionRegistry;
  publisher: Publisher;
  faults: FaultState;
  counters: Counters;
  traffic: TrafficDriver;
  /** Runs model events now and sends the deltas; returns how many deltas. */
  runModel(events: number): number;
  log(line: string): void;
}

/** Upper bounds that keep a control call from wedging the process. */
const MAX_TRIGGER = 1_000_000;
const MAX_REFUSE_MS = 24 * 3600 * 1000;

function count(name: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer from 0 to ${max}`);
  }
  return value;
}

function text(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new RangeError(`${name} must be a non-empty string`);
  return value;
}

export function createControl(deps: ControlDeps): SimulatorControl {
  const { model, tokens, registry, publisher, faults, counters, traffic } = deps;
  const optionalUser = (username: unknown): string | undefined =>
    username === undefined ? undefined : text('user', username);

  return {
    dropSockets(username) {
      const dropped = publisher.drop(optionalUser(username));
      counters.faults.drops += dropped;
      deps.log(`control: dropped ${dropped} socket(s)`);
      return dropped;
    },
    stallSockets(username) {
      const stalled = publisher.stall(optionalUser(username));
      counters.faults.stalls += stalled;
      deps.log(`control: stalled ${stalled} socket(s)`);
      return stalled;
    },
    refuseConnections(ms) {
      faults.refuseFor(count('ms', ms, MAX_REFUSE_MS));
      deps.log(`control: refusing connections for ${ms} ms`);
    },
    failEndpoint(endpoint, status, times) {
      if (!FAULT_ENDPOINTS.includes(endpoint))
        throw new RangeError(`endpoint must be one of ${FAULT_ENDPOINTS.join(', ')}`);
      if (status !== 500 && status !== 503) throw new RangeError('status must be 500 or 503');
      faults.failNext(endpoint, status, count('count', times, MAX_TRIGGER));
      deps.log(`control: ${endpoint} answers ${status} for the next ${times} request(s)`);
    },
    revokeTokens() {
      const revoked = tokens.revokeAll();
      counters.faults.revocations++;
      const closed = publisher.closeRevoked();
      deps.log(`control: revoked ${revoked} token(s), closed ${closed} socket(s)`);
      return revoked;
    },
    async restart() {
      counters.faults.restarts++;
      await tokens.rotate();
      publisher.closeAll(1012, 'service restart');
      registry.clear();
      deps.log('control: restarted with a new signing key');
    },
    setRate(rate) {
      traffic.setRate(validateRate(rate));
      deps.log(`control: rate ${String(rate)}`);
    },
    trigger(events) {
      return deps.runModel(count('count', events, MAX_TRIGGER));
    },
    removeAgentFromGroup(agentId, groupId) {
      const loss = model.removeAgentFromGroup(text('agentId', agentId), text('groupId', groupId));
      if (!loss) return undefined;
      const deletesSent = publisher.sendDeletes(loss);
      deps.runModel(0); // the model's group-gauge deltas of the change
      deps.log(`control: agent ${agentId} left group ${groupId}; ${deletesSent} delete(s) sent`);
      return { ...loss, deletesSent };
    },
    addAgentToGroup(agentId, groupId) {
      const added = model.addAgentToGroup(text('agentId', agentId), text('groupId', groupId));
      if (added) deps.runModel(0); // the model's group-gauge deltas of the change
      return added;
    },
    truth(username, producerId) {
      text('user', username);
      const truth: Record<string, Entity[]> = {};
      if (producerId !== undefined) {
        if (!model.producer(text('producer', producerId)))
          throw new RangeError(`unknown producer ${JSON.stringify(producerId)}`);
        truth[producerId] = model.entities(producerId, username);
        return truth;
      }
      for (const subscription of registry.forUser(username)) {
        truth[subscription.producerId] = model.entities(subscription.producerId, username);
      }
      return truth;
    },
    stats(): SimulatorStats {
      const users = Object.create(null) as Record<string, UserStats>;
      for (const user of model.users) {
        users[user.username] = {
          subscriptions: registry.forUser(user.username).map((s) => s.producerId),
          streams: publisher.streamsOf(user.username),
          sockets: publisher.socketsOf(user.username),
          logins: counters.loginsByUser.get(user.username) ?? 0,
        };
      }
      return {
        users,
        activeSubscriptions: registry.size,
        duplicateSubscriptions: counters.duplicateSubscriptions,
        duplicateSockets: counters.duplicateSockets,
        openSockets: publisher.openSockets,
        framesSent: counters.framesSent,
        heartbeatsSent: counters.heartbeatsSent,
        heartbeatsReceived: counters.heartbeatsReceived,
        deltasGenerated: counters.deltasGenerated,
        deletesSent: counters.deletesSent,
        logins: counters.logins,
        failedLogins: counters.failedLogins,
        faultsInjected: counters.faultsInjected,
        faults: { ...counters.faults },
        rate: traffic.currentRate,
      };
    },
  };
}
