// The chaos soak's laboratory: the simulator under steady traffic and a Node-RED flow (through
// node-red-node-test-helper) of server → one subscribe node per producer → state, plus the fault
// schedule, the recovery clock and the comparison of the state node's view with the simulator's
// ground truth. The CI test (test/reliability/chaos-soak.test.ts) and the long soak (bench/soak.ts)
// both drive this one class, so the short and the long run check exactly the same things.
import { entityKey } from '../../lib/index';
import { normalizeMeasures } from '../../lib/frames/normalize';
import { schemaFromDescriptor } from '../../lib/frames/producer-schema';
import type { ProducerSchema } from '../../lib/frames/producer-schema';
import type { RunningSimulator, SimulatorStats } from '../../simulator/index';
import {
  helper,
  serverConfig,
  serverNode,
  simulator,
  statusHistory,
  subscribeNode,
  tlsConfigNode,
  USER,
} from './node-red-test-helper';
import type { FlowNode, NodeMessage } from './node-red-test-helper';
import { stateNode, stateSubscribers } from './state-node-flow';
import { seededRandom } from './seeded-random';
import { sleep, until } from './wait';
import { stateFlowNode } from '../../scripts/config-nodes';

export const FAULT_KINDS = [
  'drop',
  'stall',
  'refuse',
  'login-5xx',
  'subscribe-5xx',
  'expired',
  'revoke',
  'restart',
  'delete',
  'burst',
] as const;
/**
 * 'redeploy' (a full deploy under traffic: a new client must replace the old one) is scheduled on purpose, not at
 * random.
 */
export type FaultKind = (typeof FAULT_KINDS)[number] | 'redeploy';

/** Faults that cost the stream its socket: the flow must see them as control events and statuses. */
const DISCONNECTING: ReadonlySet<FaultKind> = new Set(FAULT_KINDS.filter((k) => k !== 'delete' && k !== 'burst'));
/** Control events that announce trouble on the connection (what a supervisor's flow can alert on). */
const TROUBLE: ReadonlySet<unknown> = new Set(['disconnected', 'stale', 'auth-failed']);

export const DEFAULT_PRODUCERS = [
  'Agent_SoD_3.5',
  'AgentByAccount_SoD_3.5',
  'AgentGroup_SoD_3.5',
  'VDN_SoD_3.5',
  'RoutingService_SoD_3.5',
];

export interface ChaosOptions {
  seed: number;
  agents: number;
  /** Model events per second while no checkpoint pauses the traffic. */
  rate: number;
  producers?: string[];
  /** Short enough that tokens run out during the run (the 'expired' fault waits for that). */
  tokenLifetimeSec: number;
  /** Random pause before each fault, ms. */
  gapMs: [number, number];
  /** Compare the view with the ground truth after every Nth fault (and always at the end). */
  checkpointEvery: number;
  /** Rows of the 'burst' fault. */
  burstEvents?: number;
  /** Deadline for the recovery from one fault. */
  recoveryTimeoutMs?: number;
  log?: (line: string) => void;
}

/** A lab for deploy tests: two producers, light traffic, a token that outlives the test, no faults of its own. */
export const DEPLOY_LAB: ChaosOptions & { producers: string[] } = {
  seed: 5,
  agents: 20,
  rate: 20,
  producers: ['Agent_SoD_3.5', 'VDN_SoD_3.5'],
  tokenLifetimeSec: 3600,
  gapMs: [0, 1],
  checkpointEvery: 1,
};

export interface FaultRecord {
  kind: FaultKind;
  /** ms from injection until the flow is whole again (see ChaosLab.inject). */
  recoveryMs: number;
  /** Control events the flow received for it (distinct, in order). */
  controlEvents: string[];
  /** Status texts the subscribe nodes showed meanwhile (distinct). */
  statuses: string[];
}

export interface CheckpointResult {
  entities: number;
  mismatches: number;
  samples: string[];
}

export interface ChaosReport {
  faults: FaultRecord[];
  checkpoints: number;
  entitiesCompared: number;
  mismatches: number;
  mismatchSamples: string[];
  maxRecoveryMs: number;
  medianRecoveryMs: number;
  stats: SimulatorStats;
}

type Records = Record<string, Record<string, unknown>>;

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/**
 * Every kind once, in a seeded random order, then `extra` more random kinds; with `redeployEvery`, a
 * full redeploy after every that many faults. The client's backoff only resets after a connection
 * stayed up for a minute (lib/stream/backoff.ts), so a short run that packs many faults into a
 * minute needs these redeploys (a new client) to keep each recovery within seconds.
 */
export function faultSchedule(seed: number, extra = 0, redeployEvery = 0): FaultKind[] {
  const random = seededRandom(seed);
  const kinds: FaultKind[] = [...FAULT_KINDS];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  for (let i = 0; i < extra; i++) kinds.push(FAULT_KINDS[Math.floor(random() * FAULT_KINDS.length)]!);
  if (redeployEvery <= 0) return kinds;
  const withRedeploys: FaultKind[] = [];
  kinds.forEach((kind, i) => {
    withRedeploys.push(kind);
    if ((i + 1) % redeployEvery === 0 && i + 1 < kinds.length) withRedeploys.push('redeploy');
  });
  return withRedeploys;
}

/**
 * A point in the stream of control events the flow received (ChaosLab.mark()): the events after it are those that
 * arrived later. Deliberately not a time: the events' `at` stamps have a resolution of one millisecond, and a wait
 * that begins in the same millisecond as the last 'ready' of the previous deployment would take that one for the
 * next deployment's.
 */
export type ControlMark = number & { readonly __controlMark: unique symbol };

/** A msg of the flow's Catch node: Node-RED sets `error` to what the throwing node reported. */
export interface CaughtMessage extends NodeMessage {
  error: { message: string; source?: { id: string; type: string; name?: string; count?: number } };
}

export class ChaosLab {
  readonly producers: string[];
  private readonly random: () => number;
  private readonly schemas = new Map<string, ProducerSchema>();
  private readonly control: NodeMessage[] = [];
  /** Control events trimHistory() dropped from the front of `control` (a mark counts them too). */
  private controlTrimmed = 0;
  private readonly out: NodeMessage[] = [];
  private readonly caughtMsgs: CaughtMessage[] = [];
  private markers = 0;
  private variant = 0;
  private lastLoginAt = 0;
  private loginsSeen = 0;
  private loginWatch: NodeJS.Timeout | null = null;
  private readonly returning: Array<{ agentId: string; groupId: string }> = [];
  private readonly statusesOf: Array<() => string[]> = [];

  private constructor(
    readonly sim: RunningSimulator,
    private readonly options: ChaosOptions,
  ) {
    this.producers = options.producers ?? DEFAULT_PRODUCERS;
    this.random = seededRandom(options.seed);
  }

  static async start(options: ChaosOptions): Promise<ChaosLab> {
    const sim = await simulator({
      seed: options.seed,
      agents: options.agents,
      rate: options.rate,
      heartbeatIntervalMs: 1000,
      tokenLifetimeSec: options.tokenLifetimeSec,
      encoding: 'mixed',
      envelope: 'mixed',
    });
    const lab = new ChaosLab(sim, options);
    try {
      await lab.deploy();
    } catch (err) {
      await lab.close();
      throw err;
    }
    return lab;
  }

  /** The flow: heartbeats every second, tokens verified against the simulator's JWKS (it rotates on restart). */
  static flow(
    sim: RunningSimulator,
    producers: string[],
    variant = 0,
  ): { flow: FlowNode[]; credentials: Record<string, Record<string, string>> } {
    const cfg = serverConfig(sim, {
      heartbeat: 1,
      tokenVerification: 'jwks',
      jwksUrl: `${sim.restUrl}/.well-known/jwks.json`,
    });
    // A new name makes a 'nodes' deploy replace the subscribe nodes.
    const subscribers = stateSubscribers(producers, { name: `variant ${variant}` });
    const flow: FlowNode[] = [
      { id: 'tab', type: 'tab', label: 'chaos' },
      ...cfg.nodes,
      ...subscribers,
      stateFlowNode('state', { z: 'tab', emit: 'never', derived: false, wires: [['out']] }),
      { id: 'out', z: 'tab', type: 'helper' },
      { id: 'ctl', z: 'tab', type: 'helper' },
      { id: 'catcher', z: 'tab', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', z: 'tab', type: 'helper' },
    ];
    return { flow, credentials: cfg.credentials };
  }

  /** Records what the helper nodes receive into this lab's arrays (again after every full redeploy). */
  private listen(): void {
    const into = (id: string, list: NodeMessage[]): void =>
      helper.getNode(id).on('input', (msg: NodeMessage) => list.push(msg));
    into('ctl', this.control);
    into('out', this.out);
    into('caught', this.caughtMsgs);
  }

  private async deploy(): Promise<void> {
    const start = this.mark();
    const { flow, credentials } = ChaosLab.flow(this.sim, this.producers);
    await helper.load([tlsConfigNode, serverNode, subscribeNode, stateNode], flow, credentials);
    this.listen();
    this.producers.forEach((_, i) => this.statusesOf.push(statusHistory(`sub${i}`)));
    for (const p of this.producers) {
      const schema = schemaFromDescriptor(this.sim.model.producer(p));
      if (!schema) throw new Error(`no schema for ${p}`);
      this.schemas.set(p, schema);
    }
    // When the simulator last issued a token: the 'expired' fault waits until that one has run out.
    this.loginWatch = setInterval(() => {
      const logins = this.sim.control.stats().logins;
      if (logins !== this.loginsSeen) {
        this.loginsSeen = logins;
        this.lastLoginAt = Date.now();
      }
    }, 50);
    await this.waitReady(start, 30_000);
  }

  /**
   * Deploys the flow again with renamed subscribe nodes. 'full' restarts every node (a new server
   * node: a new client, login and subscriptions); 'nodes' restarts only the subscribe nodes, which
   * adopt the subscriptions their predecessors parked.
   */
  async redeploy(type: 'full' | 'nodes'): Promise<void> {
    const { flow, credentials } = ChaosLab.flow(this.sim, this.producers, ++this.variant);
    await helper.setFlows(flow, type, credentials);
    if (type === 'full') this.listen(); // the helper nodes were replaced too
  }

  /** The current end of the control events received: take it before the deploy or fault whose outcome you wait for. */
  mark(): ControlMark {
    return (this.controlTrimmed + this.control.length) as ControlMark;
  }

  /** The control events received after `mark` (those trimHistory() dropped since are gone). */
  private controlAfter(mark: ControlMark): NodeMessage[] {
    return this.control.slice(Math.max(0, mark - this.controlTrimmed));
  }

  /**
   * Resolves when every subscribe node reported 'ready' after `mark` (epoch ms of the last one). A 'ready' received
   * before the mark never counts, even one stamped in the same millisecond.
   */
  whenReady(mark: ControlMark, timeoutMs = 30_000): Promise<number> {
    return this.waitReady(mark, timeoutMs);
  }

  /** The control events received after `mark` but those `except`, as "producer control: reason". */
  controlSince(mark: ControlMark, except: string[] = []): string[] {
    return this.controlAfter(mark)
      .filter((m) => !except.includes(String(m.control)))
      .map((m) => {
        const p = m.payload as { at?: number; reason?: unknown; cause?: { short?: unknown } } | undefined;
        const why = p?.cause?.short ?? p?.reason;
        return `${String(m.producer)} ${String(m.control)}${typeof why === 'string' ? `: ${why}` : ''}`;
      });
  }

  /** Errors the flow's Catch node received (must stay empty). */
  get caught(): CaughtMessage[] {
    return this.caughtMsgs;
  }

  /** Resolves when every producer reported 'ready' after `mark`; returns when the last one did (epoch ms). */
  private async waitReady(mark: ControlMark, timeoutMs: number): Promise<number> {
    let at = 0;
    await until(
      'every subscription ready',
      () => {
        at = 0;
        const received = this.controlAfter(mark);
        for (const p of this.producers) {
          const ready = received.find((m) => m.producer === p && m.control === 'ready');
          if (!ready) return false;
          at = Math.max(at, (ready.payload as { at: number }).at);
        }
        return true;
      },
      timeoutMs,
    );
    return at;
  }

  private async snapshot(): Promise<NodeMessage> {
    const marker = `chaos-${++this.markers}`;
    helper.getNode('state').receive({ action: 'snapshot', marker });
    const reply = await until(`snapshot ${marker}`, () => this.out.find((m) => m.marker === marker), 20_000);
    // In place: collect() keeps appending to this very array.
    this.out.splice(0, this.out.indexOf(reply) + 1);
    return reply;
  }

  /** The simulator's records, keyed and normalized the way the state node holds them. */
  truth(): Records {
    const view: Records = {};
    for (const p of this.producers) {
      const schema = this.schemas.get(p)!;
      for (const entity of this.sim.control.truth(USER, p)[p] ?? []) {
        const measures = normalizeMeasures(
          Object.assign(Object.create(null) as Record<string, unknown>, entity.realtimeData),
          schema.measureTypes,
        );
        view[entityKey(p, entity.dimension)] = { ...measures, ...entity.dimension };
      }
    }
    return view;
  }

  /** Differences between the state node's view and the ground truth (empty when equal). */
  static differences(view: Records, truth: Records): string[] {
    const diffs: string[] = [];
    for (const [key, want] of Object.entries(truth)) {
      const got = view[key];
      if (!got) diffs.push(`missing ${key}`);
      else if (!sameRecord(got, want)) diffs.push(`differs ${key}`);
    }
    for (const key of Object.keys(view)) if (!(key in truth)) diffs.push(`extra ${key}`);
    return diffs;
  }

  /**
   * Pauses the traffic, waits (bounded) until the view equals the truth, records the result and
   * resumes the traffic. Mismatches are what remains at the deadline.
   */
  async checkpoint(settleMs = 10_000): Promise<CheckpointResult> {
    this.sim.control.setRate(0);
    const deadline = Date.now() + settleMs;
    let diffs: string[];
    let entities: number;
    for (;;) {
      const snap = await this.snapshot();
      const truth = this.truth();
      entities = Object.keys(truth).length;
      diffs = snap.synced === true ? ChaosLab.differences(snap.payload as Records, truth) : ['view not synced'];
      if (diffs.length === 0 || Date.now() > deadline) break;
      await sleep(100);
    }
    this.sim.control.setRate(this.options.rate);
    return { entities, mismatches: diffs.length, samples: diffs.slice(0, 5) };
  }

  /**
   * An agent supervisor1 sees through exactly one group (removing it from that group hides it; a removed agent is in
   * none).
   */
  private agentInOneGroup(): { agentId: string; groupId: string } | undefined {
    const members = this.sim.model.dimdata('GroupMember', USER) as Array<{ groupId: string; agentId?: string }>;
    const groupsOf = new Map<string, string[]>();
    for (const m of members)
      if (m.agentId !== undefined) groupsOf.set(m.agentId, [...(groupsOf.get(m.agentId) ?? []), m.groupId]);
    for (const [agentId, groups] of groupsOf) if (groups.length === 1) return { agentId, groupId: groups[0]! };
    return undefined;
  }

  /**
   * Injects one fault and measures the recovery:
   *  - a disconnecting fault: until every subscribe node reports 'ready' again after its trouble event;
   *  - delete: until the removed agent is gone from the state node's view;
   *  - burst: until the view equals the truth again (traffic paused, so the burst is the last word).
   */
  async inject(kind: FaultKind): Promise<FaultRecord> {
    const ctrl = this.sim.control;
    const timeout = this.options.recoveryTimeoutMs ?? 30_000;
    if (kind === 'expired') {
      // Let the token the client holds run out (the simulator allows no leeway), then drop the socket:
      // the reconnect must log in again instead of presenting the dead token.
      const expiresAt = this.lastLoginAt + this.options.tokenLifetimeSec * 1000 + 250;
      await sleep(Math.max(0, expiresAt - Date.now()));
    }
    if (kind !== 'delete' && kind !== 'burst') {
      // Agents removed by earlier 'delete' faults rejoin their group now, so a long run never runs out
      // of them: joining sends no rows of the agent, but the pumpup after this fault brings them.
      for (const { agentId, groupId } of this.returning.splice(0)) ctrl.addAgentToGroup(agentId, groupId);
    }
    const mark = this.mark();
    const firstStatus = this.statusesOf.map((s) => s().length);
    const loginsBefore = ctrl.stats().logins;
    const t0 = Date.now();
    this.options.log?.(`fault ${kind}: injecting`);
    let done: number;
    switch (kind) {
      case 'drop':
        ctrl.dropSockets(USER);
        break;
      case 'stall':
        ctrl.stallSockets(USER);
        break;
      case 'refuse': {
        // Refuse until the client has run into it (a fixed window could pass while it backs off).
        const refusedBefore = ctrl.stats().faults.refusedConnections;
        ctrl.refuseConnections(timeout);
        ctrl.dropSockets(USER);
        await until('a refused reconnect', () => ctrl.stats().faults.refusedConnections > refusedBefore, timeout);
        ctrl.refuseConnections(0);
        break;
      }
      case 'login-5xx':
        // The socket closes (revoked token), and the next two logins answer 503.
        ctrl.failEndpoint('login', 503, 2);
        ctrl.revokeTokens();
        break;
      case 'subscribe-5xx':
        ctrl.failEndpoint('subscribe', 500, 2);
        ctrl.dropSockets(USER);
        break;
      case 'expired':
        ctrl.dropSockets(USER);
        break;
      case 'revoke':
        ctrl.revokeTokens();
        break;
      case 'restart':
        await ctrl.restart();
        break;
      case 'delete': {
        const pick = this.agentInOneGroup();
        if (!pick) throw new Error('no agent left in exactly one group');
        const loss = ctrl.removeAgentFromGroup(pick.agentId, pick.groupId);
        if (!loss || loss.deletesSent === 0) throw new Error(`removing ${pick.agentId} sent no delete`);
        await until(
          `agent ${pick.agentId} gone from the view`,
          async () =>
            !Object.values((await this.snapshot()).payload as Records).some((r) => r.agentId === pick.agentId),
          timeout,
        );
        done = Date.now();
        this.returning.push(pick);
        return this.record(kind, done - t0, mark, firstStatus);
      }
      case 'redeploy': {
        await this.redeploy('full');
        done = await this.waitReady(mark, timeout);
        return this.record(kind, done - t0, mark, firstStatus);
      }
      case 'burst': {
        ctrl.setRate(0);
        const deltas = ctrl.trigger(this.options.burstEvents ?? 10_000);
        if (deltas === 0) throw new Error('the burst produced no rows');
        const result = await this.checkpoint(timeout);
        if (result.mismatches > 0)
          throw new Error(`after a burst of ${deltas} rows the view differs: ${result.samples.join('; ')}`);
        return this.record(kind, Date.now() - t0, mark, firstStatus);
      }
    }
    // A disconnecting fault: first the trouble event on every producer, then 'ready' again.
    await until(
      `${kind}: a trouble event on every producer`,
      () =>
        this.producers.every((p) => this.controlAfter(mark).some((m) => m.producer === p && TROUBLE.has(m.control))),
      timeout,
    );
    done = await this.waitReady(mark, timeout).catch((err: Error) => {
      const seen = this.controlAfter(mark).map(
        (m) =>
          `${m.producer}:${m.control}${(m.payload as { reason?: string }).reason ? `(${(m.payload as { reason?: string }).reason})` : ''}`,
      );
      throw new Error(`${kind}: ${err.message}; control events since the fault: ${seen.join(', ')}`);
    });
    if (
      (kind === 'expired' || kind === 'restart' || kind === 'revoke' || kind === 'login-5xx') &&
      ctrl.stats().logins <= loginsBefore
    ) {
      throw new Error(`${kind}: the client recovered without logging in again`);
    }
    return this.record(kind, done - t0, mark, firstStatus);
  }

  private record(kind: FaultKind, recoveryMs: number, mark: ControlMark, firstStatus: number[]): FaultRecord {
    const controlEvents = distinct(this.controlAfter(mark).map((m) => String(m.control)));
    const statuses = distinct(this.statusesOf.flatMap((s, i) => s().slice(firstStatus[i])));
    this.options.log?.(`fault ${kind}: recovered in ${recoveryMs} ms; control ${controlEvents.join(',')}`);
    return { kind, recoveryMs, controlEvents, statuses };
  }

  /** Whether the fault is one the flow must see as a trouble event. */
  static disconnects(kind: FaultKind): boolean {
    return DISCONNECTING.has(kind);
  }

  /**
   * Runs the schedule: a random pause, a fault, its recovery; a checkpoint every N faults and at the
   * end. Stops injecting early once `deadline` (epoch ms) has passed.
   */
  async run(schedule: FaultKind[], deadline = Infinity): Promise<ChaosReport> {
    const faults: FaultRecord[] = [];
    let checkpoints = 0;
    let entitiesCompared = 0;
    let mismatches = 0;
    const mismatchSamples: string[] = [];
    const [minGap, maxGap] = this.options.gapMs;
    const check = async (): Promise<void> => {
      const result = await this.checkpoint();
      checkpoints++;
      entitiesCompared += result.entities;
      mismatches += result.mismatches;
      mismatchSamples.push(...result.samples);
      this.options.log?.(`checkpoint ${checkpoints}: ${result.entities} entities, ${result.mismatches} mismatches`);
    };
    for (let i = 0; i < schedule.length && Date.now() < deadline; i++) {
      await sleep(minGap + Math.floor(this.random() * (maxGap - minGap)));
      faults.push(await this.inject(schedule[i]!));
      if ((i + 1) % this.options.checkpointEvery === 0 && i + 1 < schedule.length) await check();
      this.trimHistory();
    }
    await sleep(300); // live traffic after the last recovery
    await check();
    const times = faults.map((f) => f.recoveryMs);
    return {
      faults,
      checkpoints,
      entitiesCompared,
      mismatches,
      mismatchSamples: mismatchSamples.slice(0, 10),
      maxRecoveryMs: Math.max(0, ...times),
      medianRecoveryMs: median(times),
      stats: this.sim.control.stats(),
    };
  }

  /**
   * The test helper's spies keep every call of Node.prototype.send/log: a long soak drops that
   * history between faults (statuses are kept: they are few and the report reads them).
   */
  private trimHistory(): void {
    dropSpyHistory();
    const excess = this.control.length - 200;
    if (excess <= 0) return;
    this.control.splice(0, excess); // in place, see snapshot()
    this.controlTrimmed += excess;
  }

  async close(): Promise<void> {
    if (this.loginWatch) clearInterval(this.loginWatch);
    this.loginWatch = null;
    await helper.unload();
    await this.sim.close();
  }
}

/** Forgets the calls the test helper's spies recorded on Node.prototype.send/log (statuses are kept). */
export function dropSpyHistory(): void {
  for (const method of ['send', 'log', 'trace', 'debug']) helper._NodePrototype[method]?.resetHistory?.();
  helper._logSpy?.resetHistory?.();
}

function sameRecord(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(b);
  if (Object.keys(a).length !== keys.length) return false;
  for (const k of keys) if (!Object.is(a[k], b[k])) return false;
  return true;
}

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}
