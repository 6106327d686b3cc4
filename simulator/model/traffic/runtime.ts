// Runtime state of the simulation: agents, routing services and contacts in flight, each holding
// direct references to the entities it updates, and the clock. Transitions live in presence.ts
// (agent states) and contacts.ts (contact life cycle); events.ts picks what happens next.
import { P, PRODUCERS, CHANNELS } from '../catalog/producers';
import type { Prng } from '../prng';
import { Fifo } from '../fifo';
import { Ent, Store } from '../store';
import { UNKNOWN, wireTimestamp } from '../wire';
import type { AgentInfo, ServiceInfo, World } from '../world';

export const enum Presence {
  LoggedOut,
  NotReady,
  Ready,
  PendingNotReady,
}

export const enum Phase {
  Queued,
  Alerting,
  Active,
  Held,
  Acw,
}

/** Bits of an agent's contribution to staffing gauges (agentsLoggedIn…). */
export const enum GaugeBit {
  LoggedIn = 1,
  Ready = 2,
  NotReady = 4,
  Busy = 8,
  Acw = 16,
}
/** Parallel arrays (no tuple destructuring on the per-event path): bit i counts in GAUGE_NAMES[i]. */
const GAUGE_BITS = [GaugeBit.LoggedIn, GaugeBit.Ready, GaugeBit.NotReady, GaugeBit.Busy, GaugeBit.Acw] as const;
const GAUGE_NAMES = ['agentsLoggedIn', 'agentsReady', 'agentsNotReady', 'agentsBusy', 'agentsInAcw'] as const;

export interface Contact {
  readonly contactId: string;
  readonly segment: number;
  readonly service: ServiceRt;
  /** The ContactDetail record of this segment. */
  readonly cd: Ent;
  phase: Phase;
  agent: AgentRt | null;
  /** RoutingServiceByAgent entity of (agent, service) once offered. */
  ra: Ent | null;
  /** Customer address, the same in every segment of the contact. */
  readonly customer: string;
  queuedAt: number;
  /** wireTimestamp(queuedAt), for oldestContactWaitTime. */
  queuedTs: string;
  waitMs: number;
  alertAt: number;
  alertMs: number;
  activeAt: number;
  activeMs: number;
  heldAt: number;
  holdMs: number;
  acwAt: number;
  /** Offered while the agent was already working on another contact. */
  blended: boolean;
  /** How it reached its agent: 0 routed, 1 transferred through a service, 2 transferred to the agent. */
  transferredFrom: 0 | 1 | 2;
}

export interface AgentRt {
  readonly info: AgentInfo;
  readonly ent: Ent;
  /** AgentByAccount entity per channel index (undefined where the agent has no account). */
  readonly accounts: Array<Ent | undefined>;
  readonly accountList: Ent[];
  /** AgentGroup entities of the groups the agent is a member of now. */
  groups: Ent[];
  readonly site: Ent;
  readonly services: ServiceRt[];
  /** RoutingServiceByAgent entities by service index, created on first offer. */
  readonly byService: Array<Ent | undefined>;
  /** AgentByNotReadyReasonCode entities by reason index, created on first use. */
  readonly byReason: Array<Ent | undefined>;
  presence: Presence;
  items: Contact[];
  gaugeBits: number;
  /** Last time logged-in time was added to the logon durations. */
  logonMark: number;
  /** Since when the agent is Ready-idle (-1 when not idle). */
  idleSince: number;
  /** Since when the agent is Not Ready / since when the current reason applies. */
  notReadySince: number;
  reasonSince: number;
  reason: number;
  pendingReason: number;
}

export interface ServiceRt {
  readonly info: ServiceInfo;
  readonly ent: Ent;
  readonly group: Ent;
  readonly vdn: Ent;
  /** Waiting contacts, oldest first. */
  readonly queue: Contact[];
  /** Services of the same routing-service group (for the group's oldest waiting contact). */
  siblings: ServiceRt[];
  /** Services of the same channel a contact may be transferred to. */
  transferTargets: ServiceRt[];
}

export interface SimOptions {
  contactDetailWindow: number;
  announceEvictions: boolean;
}

export class Sim {
  readonly agents: AgentRt[] = [];
  readonly services: ServiceRt[] = [];
  readonly groupEnts: Ent[] = [];
  /** ContactDetail records, oldest first: the ones beyond the window are evicted. */
  readonly segments = new Fifo<Ent>();
  /** Longest queue a routing service accepts; further arrivals are refused (routePointBusies). */
  readonly queueCap: number;
  now: number;
  /** wireTimestamp(now), computed once per event. */
  ts: string;

  constructor(
    readonly world: World,
    readonly store: Store,
    readonly prng: Prng,
    readonly options: SimOptions,
    startTime: number,
  ) {
    this.now = startTime;
    this.ts = wireTimestamp(startTime);
    this.queueCap = 10 + Math.ceil(world.agents.length / 5);
    const dims = (id: string): readonly string[] => PRODUCERS.find((p) => p.id === id)?.dimensions ?? [];
    for (const g of world.groups) {
      const e = store.create(P.agentGroup, dims(P.agentGroup), [g.groupId]);
      e.init('groupName', g.groupName);
      this.groupEnts.push(e);
    }
    const sgEnts = world.serviceGroups.map((g) => {
      const e = store.create(P.serviceGroup, dims(P.serviceGroup), [g.groupId]);
      e.init('groupName', g.groupName);
      return e;
    });
    for (const s of world.services) {
      const ent = store.create(P.routingService, dims(P.routingService), [s.name]);
      ent.init('channelId', CHANNELS[s.channel] as string);
      ent.init('routingPointId', s.routingPointId);
      ent.init('serviceLevelThreshold', s.threshold);
      const vdn = store.create(P.vdn, dims(P.vdn), [s.routingPointId]);
      vdn.init('channelId', CHANNELS[s.channel] as string);
      vdn.init('routingServiceName', s.name);
      this.services.push({
        info: s,
        ent,
        group: sgEnts[s.group] as Ent,
        vdn,
        queue: [],
        siblings: [],
        transferTargets: [],
      });
    }
    for (const s of this.services) {
      s.siblings = this.services.filter((o) => o.info.group === s.info.group);
      s.transferTargets = this.services.filter((o) => o !== s && o.info.channel === s.info.channel);
    }
    const siteEnts = world.sites.map((s) => store.create(P.site, dims(P.site), [s.siteName, s.siteId]));
    for (const info of world.agents) {
      const ent = store.create(P.agent, dims(P.agent), [info.agentId]);
      ent.init('agentId', info.agentId);
      ent.init('agentFirstName', info.firstName);
      ent.init('agentLastName', info.lastName);
      ent.init('agentDisplayName', `${info.firstName} ${info.lastName}`);
      ent.init('supervisorId', info.supervisorId);
      ent.init('supervisorFirstName', info.supervisorFirstName);
      ent.init('supervisorLastName', info.supervisorLastName);
      ent.init('workLimit', String(info.workLimit));
      ent.init('agentState', 'LOGGED_OUT');
      ent.init('workState', 'UNAVAILABLE');
      const accounts: Array<Ent | undefined> = [undefined, undefined, undefined, undefined];
      const accountList: Ent[] = [];
      for (const acc of info.accounts) {
        const e = store.create(P.agentByAccount, dims(P.agentByAccount), [
          info.agentId,
          acc.accountId,
          CHANNELS[acc.channel] as string,
        ]);
        e.init('accountAddress', acc.address);
        e.init('workLimit', acc.channel === 0 ? '1' : String(info.workLimit));
        e.init('accountState', 'LOGGED_OUT');
        accounts[acc.channel] = e;
        accountList.push(e);
      }
      this.agents.push({
        info,
        ent,
        accounts,
        accountList,
        groups: [this.groupEnts[info.group] as Ent],
        site: siteEnts[info.siteIndex] as Ent,
        services: info.services.map((i) => this.services[i] as ServiceRt),
        byService: [],
        byReason: [],
        presence: Presence.LoggedOut,
        items: [],
        gaugeBits: 0,
        logonMark: 0,
        idleSince: -1,
        notReadySince: 0,
        reasonSince: 0,
        reason: 0,
        pendingReason: 0,
      });
    }
  }

  setTime(now: number): void {
    if (now !== this.now) {
      this.now = now;
      this.ts = wireTimestamp(now);
    }
  }

  /** Whole seconds between two instants, telescoping: the sum over consecutive spans is the whole span. */
  secs(since: number): number {
    return Math.floor(this.now / 1000) - Math.floor(since / 1000);
  }

  /** RoutingServiceByAgent entity of an agent and service, created (and announced) on first use. */
  byService(a: AgentRt, s: ServiceRt): Ent {
    let e = a.byService[s.info.index];
    if (!e) {
      e = this.store.create(P.serviceByAgent, ['agentId', 'routingServiceName'], [a.info.agentId, s.info.name]);
      a.byService[s.info.index] = e;
      this.store.announce(e);
    }
    return e;
  }

  /** AgentByNotReadyReasonCode entity, created (and announced) on first use. */
  byReason(a: AgentRt, reason: number): Ent {
    let e = a.byReason[reason];
    if (!e) {
      const rc = this.world.reasonCodes[reason] ?? this.world.reasonCodes[0];
      e = this.store.create(P.agentByReason, ['agentId', 'nrReasonCode'], [a.info.agentId, rc?.code ?? '0']);
      e.init('nrReasonCodeName', rc?.name ?? UNKNOWN);
      a.byReason[reason] = e;
      this.store.announce(e);
    }
    return e;
  }

  /**
   * Applies the difference between an agent's staffing contribution now and before to its groups, site and services.
   */
  updateGauges(a: AgentRt): void {
    let bits = 0;
    if (a.presence !== Presence.LoggedOut) bits |= GaugeBit.LoggedIn;
    if (a.presence === Presence.Ready) bits |= GaugeBit.Ready;
    if (a.presence === Presence.NotReady || a.presence === Presence.PendingNotReady) bits |= GaugeBit.NotReady;
    if (a.items.length > 0) bits |= GaugeBit.Busy;
    for (const c of a.items) if (c.phase === Phase.Acw) bits |= GaugeBit.Acw;
    const changed = bits ^ a.gaugeBits;
    if (changed === 0) return;
    a.gaugeBits = bits;
    const store = this.store;
    for (let i = 0; i < GAUGE_BITS.length; i++) {
      const bit = GAUGE_BITS[i] as GaugeBit;
      if ((changed & bit) === 0) continue;
      const measure = GAUGE_NAMES[i] as string;
      const d = bits & bit ? 1 : -1;
      for (const g of a.groups) store.add(g, measure, d);
      store.add(a.site, measure, d);
      for (const s of a.services) store.add(s.ent, measure, d);
    }
  }

  /** Adds or removes an agent's whole contribution to one group's gauges (membership change). */
  groupGauges(a: AgentRt, group: Ent, sign: 1 | -1): void {
    for (let i = 0; i < GAUGE_BITS.length; i++)
      if (a.gaugeBits & (GAUGE_BITS[i] as GaugeBit)) this.store.add(group, GAUGE_NAMES[i] as string, sign);
    let alerting = 0;
    let active = 0;
    for (const c of a.items) {
      if (c.phase === Phase.Alerting) alerting++;
      else if (c.phase === Phase.Active || c.phase === Phase.Held) active++;
    }
    this.store.add(group, 'alerting', sign * alerting);
    this.store.add(group, 'active', sign * active);
  }
}
