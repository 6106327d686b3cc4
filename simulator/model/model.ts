// The TrafficModel: catalog, dictionaries, dimension data, ground truth, visibility and traffic,
// put together behind the contract the simulator's server uses.
import type {
  Dictionary,
  Dimension,
  Entity,
  ModelDelta,
  ModelOptions,
  ProducerDescriptor,
  SimUser,
  TrafficModel,
  VisibilityLoss,
} from './contract';
import { describeProducer } from './catalog/descriptor';
import { PRODUCERS, SOURCE_ID, SOURCE_NAME, VERSION, producerSpec } from './catalog/producers';
import { dimData, isDimDataKind } from './dimdata';
import { buildDictionary } from './i18n/dictionary';
import { resolveOptions } from './options';
import { Prng } from './prng';
import { Ent, Store, copyDimension } from './store';
import { runEvent } from './traffic/events';
import { Sim, type AgentRt } from './traffic/runtime';
import { AccessControl } from './visibility';
import { buildWorld, type World } from './world';

function defaultUsers(world: World): SimUser[] {
  const g = world.groups;
  const sg = world.serviceGroups;
  const id = (list: ReadonlyArray<{ groupId: string }>, i: number): string =>
    (list[i % list.length] as { groupId: string }).groupId;
  return [
    {
      username: 'supervisor1',
      password: 'password1',
      groups: [...g.map((x) => x.groupId), ...sg.map((x) => x.groupId)],
    },
    { username: 'supervisor2', password: 'password2', groups: [id(g, 0), id(sg, 0)] },
    { username: 'supervisor3', password: 'password3', groups: [id(g, 1), id(sg, 1)] },
  ];
}

export class ContactCenterModel implements TrafficModel {
  readonly sourceId = SOURCE_ID;
  readonly users: readonly SimUser[];
  private readonly sim: Sim;
  private readonly store = new Store();
  private readonly access: AccessControl;
  private readonly agentsById = new Map<string, AgentRt>();
  private readonly groupsById = new Map<string, Ent>();
  /** Milliseconds per event when step() is not given the time. */
  private readonly eventGapMs: number;
  /** Deltas of changes made between steps (group membership), returned by the next step(). */
  private pending: ModelDelta[] = [];

  constructor(options: ModelOptions) {
    const o = resolveOptions(options);
    const prng = new Prng(o.seed);
    const world = buildWorld(prng, { agents: o.agents, groups: o.groups, agentIds: o.agentIds });
    this.users = Object.freeze(o.users ?? defaultUsers(world).map((u) => Object.freeze(u)));
    this.access = new AccessControl(
      this.users,
      world.groups.map((g, i) => ({
        groupId: g.groupId,
        agentIds: world.agents.filter((a) => a.group === i).map((a) => a.agentId),
      })),
    );
    // Each agent has an event about every 30 simulated seconds, whatever the size of the center.
    this.eventGapMs = Math.max(1, Math.round(30_000 / o.agents));
    this.sim = new Sim(
      world,
      this.store,
      prng,
      { contactDetailWindow: o.contactDetailWindow, announceEvictions: o.announceEvictions },
      o.startTime - o.warmupEvents * this.eventGapMs,
    );
    for (const a of this.sim.agents) this.agentsById.set(a.info.agentId, a);
    for (const e of this.sim.groupEnts) this.groupsById.set(e.dim['groupId'] as string, e);
    this.advance(o.warmupEvents, o.startTime);
  }

  sources(): Array<{ sourceId: string; sourceName: string; description: string; version: string }> {
    return [
      {
        sourceId: SOURCE_ID,
        sourceName: SOURCE_NAME,
        description: 'Avaya Oceana real-time streams (simulated)',
        version: VERSION,
      },
    ];
  }

  producers(): ProducerDescriptor[] {
    return PRODUCERS.map(describeProducer);
  }

  producer(producerId: string): ProducerDescriptor | undefined {
    const spec = producerSpec(producerId);
    return spec && describeProducer(spec);
  }

  dictionary(producerId: string, locale: string): Dictionary | undefined {
    const spec = producerSpec(producerId);
    return spec && buildDictionary(spec, locale);
  }

  dimdata(kind: string, username: string): unknown[] | undefined {
    return isDimDataKind(kind) ? dimData(kind, username, this.sim, this.access) : undefined;
  }

  entities(producerId: string, username: string): Entity[] {
    const spec = producerSpec(producerId);
    const table = this.store.table(producerId);
    if (!spec || !table || !this.access.hasUser(username)) return [];
    const out: Entity[] = [];
    for (const e of table.values()) if (this.access.isVisible(spec.visibility, e.dim, username)) out.push(e.snapshot());
    return out;
  }

  isVisible(producerId: string, dimension: Dimension, username: string): boolean {
    return this.access.isVisible(producerSpec(producerId)?.visibility, dimension, username);
  }

  step(events: number, now?: number): ModelDelta[] {
    if (typeof events !== 'number' || !Number.isInteger(events) || events < 0)
      throw new RangeError('events must be a non-negative integer');
    if (now !== undefined && (typeof now !== 'number' || !Number.isFinite(now)))
      throw new TypeError('now must be a finite epoch-ms number');
    const out = this.pending;
    this.pending = [];
    this.store.out = out;
    this.advance(events, now);
    this.store.out = null;
    return out;
  }

  /** Runs `events` events, spread evenly up to `until` (the clock never goes back), or a fixed gap apart. */
  private advance(events: number, until: number | undefined): void {
    const sim = this.sim;
    const start = sim.now;
    const span = until === undefined ? events * this.eventGapMs : Math.max(0, Math.floor(until) - start);
    this.store.flush();
    for (let i = 1; i <= events; i++) {
      sim.setTime(start + Math.floor(span * (i / events)));
      runEvent(sim);
    }
    if (events === 0) sim.setTime(start + span);
    this.store.flush();
  }

  removeAgentFromGroup(agentId: string, groupId: string): VisibilityLoss | undefined {
    const a = this.agentsById.get(agentId);
    const group = this.groupsById.get(groupId);
    if (!a || !group) return undefined;
    const lostBy = this.access.remove(agentId, groupId);
    if (!lostBy) return undefined;
    a.groups = a.groups.filter((g) => g !== group);
    this.changeGroup(a, group, -1);
    const keyed: Ent[] = [a.ent, ...a.accountList];
    for (const e of a.byReason) if (e) keyed.push(e);
    for (const e of a.byService) if (e) keyed.push(e);
    return {
      agentId,
      groupId,
      lostBy,
      entities: keyed.map((e) => ({ producerId: e.producerId, dimension: copyDimension(e.dim) })),
    };
  }

  addAgentToGroup(agentId: string, groupId: string): boolean {
    const a = this.agentsById.get(agentId);
    const group = this.groupsById.get(groupId);
    if (!a || !group || !this.access.add(agentId, groupId)) return false;
    a.groups = [...a.groups, group];
    this.changeGroup(a, group, 1);
    return true;
  }

  /** The group's staffing gauges follow its membership; the deltas go out with the next step(). */
  private changeGroup(a: AgentRt, group: Ent, sign: 1 | -1): void {
    this.store.out = this.pending;
    this.store.flush();
    this.sim.groupGauges(a, group, sign);
    this.store.flush();
    this.store.out = null;
  }
}
