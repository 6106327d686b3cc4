// The agent side of a contact: offered to an agent (alerting), answered, maybe held, consulted,
// conferenced or transferred, completed, then after contact work (ACW) ends it. Customers abandon
// while alerting; agents may not answer (the contact goes back to the head of its queue).
import { canTake, endIdle, enterNotReady, refreshWork } from './presence';
import { AGENT_SIDE, ALERTING, fan, QUEUE_SIDE, secondsOf, To } from './fan';
import { enqueue, newSegment, queueChanged, serviceLevel } from './queue';
import { Phase, Presence, type AgentRt, type Contact, type ServiceRt, type Sim } from './runtime';
import { UNKNOWN } from '../wire';

const SHORT_ACW_MS = 10_000;
const LONG_ACW_MS = 120_000;
const SHORT_ENGAGEMENT_MS = 10_000;
const LONG_ENGAGEMENT_MS = 600_000;
const LONG_HOLD_MS = 60_000;

// ---- offer and answer -------------------------------------------------------------------------

/** Offers a contact to an agent; `fromQueue` is false for a transfer straight to the agent. */
function offer(sim: Sim, a: AgentRt, c: Contact, fromQueue: boolean): void {
  const st = sim.store;
  if (a.idleSince >= 0) {
    endIdle(sim, a);
    st.flush();
  }
  c.agent = a;
  c.ra = sim.byService(a, c.service);
  c.phase = Phase.Alerting;
  c.alertAt = sim.now;
  c.waitMs = sim.now - c.queuedAt;
  c.blended = a.items.length > 0;
  if (fromQueue) {
    fan(sim, c, QUEUE_SIDE, 'contactsWaiting', -1);
    queueChanged(sim, c.service);
  }
  fan(sim, c, ALERTING, 'alerting', 1);
  fan(sim, c, QUEUE_SIDE, 'contactsAtAgent', 1);
  fan(sim, c, AGENT_SIDE | To.Site, 'offered', 1);
  if (c.blended) st.add(a.ent, 'blendedAlert', 1);
  st.set(c.ra, 'lastOfferedTimestamp', sim.ts);
  a.items.push(c);
  refreshWork(sim, a);
  sim.updateGauges(a);
  const account = a.accounts[c.service.info.channel];
  st.set(c.cd, 'agentId', a.info.agentId);
  st.set(c.cd, 'accountId', account ? (account.dim['accountId'] as string) : UNKNOWN);
  st.set(c.cd, 'siteId', a.site.dim['siteId'] as string);
  st.set(c.cd, 'offeredTimestamp', sim.ts);
  st.set(c.cd, 'queueDuration', secondsOf(c.waitMs));
  st.flush();
}

/** A Ready agent takes the longest-waiting contact it can handle; false when there is none. */
export function pull(sim: Sim, a: AgentRt): boolean {
  let best: ServiceRt | undefined;
  let bestAt = Infinity;
  for (const s of a.services) {
    const head = s.queue[0];
    if (head && head.queuedAt < bestAt && canTake(a, s.info.channel)) {
      best = s;
      bestAt = head.queuedAt;
    }
  }
  const c = best?.queue.shift();
  if (!c) return false;
  offer(sim, a, c, true);
  return true;
}

function answer(sim: Sim, a: AgentRt, c: Contact): void {
  const st = sim.store;
  c.alertMs = sim.now - c.alertAt;
  const alertSec = sim.secs(c.alertAt);
  fan(sim, c, AGENT_SIDE | To.Site | QUEUE_SIDE, 'answered', 1);
  fan(sim, c, AGENT_SIDE | QUEUE_SIDE | To.Site | To.Detail, 'alertDuration', alertSec);
  st.add(a.ent, 'ringTimeDuration', alertSec);
  if (c.blended) {
    st.add(a.ent, 'blendedActive', 1);
    st.add(a.ent, 'blendedAlertDuration', alertSec);
  }
  fan(sim, c, ALERTING, 'alerting', -1);
  fan(sim, c, AGENT_SIDE | To.Site | QUEUE_SIDE, 'active', 1);
  fan(sim, c, To.Agent | To.Groups | QUEUE_SIDE, 'totalWaitTime', secondsOf(c.waitMs));
  if (c.waitMs > c.service.info.threshold * 1000)
    fan(sim, c, To.Agent | To.ByService | To.Groups | QUEUE_SIDE, 'answeredAfterThreshold', 1);
  if (c.transferredFrom === 1) {
    fan(sim, c, To.Agent | To.ByService, 'transferredAccepted', 1);
    fan(sim, c, To.Agent | To.ByService, 'transferredAcceptedFromService', 1);
  } else if (c.transferredFrom === 2) {
    st.add(a.ent, 'transferredAccepted', 1);
    st.add(a.ent, 'transferredAcceptedFromAgent', 1);
    st.add(a.ent, 'transferredToAgent', 1);
  }
  serviceLevel(sim, c.service, c.waitMs);
  st.set(c.cd, 'initialDisposition', 'ANSWERED');
  st.set(c.cd, 'answeredTimestamp', sim.ts);
  c.phase = Phase.Active;
  c.activeAt = sim.now;
  st.flush();
}

/** After a contact left the agent (done, redirected or abandoned): work state, gauges, idle or pending Not Ready. */
function detach(sim: Sim, a: AgentRt, c: Contact): void {
  const i = a.items.indexOf(c);
  if (i >= 0) a.items.splice(i, 1);
  c.agent = null;
  c.ra = null;
  refreshWork(sim, a);
  sim.updateGauges(a);
  sim.store.flush();
  if (a.items.length > 0) return;
  if (a.presence === Presence.PendingNotReady) enterNotReady(sim, a, a.pendingReason);
  else if (a.presence === Presence.Ready) a.idleSince = sim.now;
}

/** Redirect on no answer: the contact goes back to the head of its queue. */
function notAnswered(sim: Sim, a: AgentRt, c: Contact): void {
  const alertSec = sim.secs(c.alertAt);
  fan(sim, c, AGENT_SIDE | To.Site | QUEUE_SIDE | To.Detail, 'notAnswered', 1);
  fan(sim, c, AGENT_SIDE | QUEUE_SIDE | To.Site | To.Detail, 'alertDuration', alertSec);
  fan(sim, c, ALERTING, 'alerting', -1);
  fan(sim, c, QUEUE_SIDE, 'contactsAtAgent', -1);
  detach(sim, a, c);
  c.phase = Phase.Queued;
  enqueue(sim, c, true);
  sim.store.flush();
}

function abandonAlerting(sim: Sim, a: AgentRt, c: Contact): void {
  const st = sim.store;
  const totalMs = c.waitMs + (sim.now - c.alertAt);
  fan(sim, c, AGENT_SIDE | To.Site | QUEUE_SIDE, 'abandonedFromAlerting', 1);
  fan(sim, c, To.Agent | QUEUE_SIDE, 'abandoned', 1);
  fan(sim, c, To.Agent | QUEUE_SIDE, 'abandonTimeDuration', secondsOf(totalMs));
  if (totalMs > c.service.info.threshold * 1000) fan(sim, c, To.Agent | QUEUE_SIDE, 'abandonedAfterThreshold', 1);
  fan(sim, c, AGENT_SIDE | QUEUE_SIDE | To.Site | To.Detail, 'alertDuration', sim.secs(c.alertAt));
  fan(sim, c, ALERTING, 'alerting', -1);
  fan(sim, c, QUEUE_SIDE, 'contactsAtAgent', -1);
  serviceLevel(sim, c.service, totalMs);
  st.set(c.cd, 'initialDisposition', 'ABANDONED');
  st.set(c.cd, 'finalDisposition', 'ABANDONED_WHILE_ALERTING');
  st.set(c.cd, 'endTimestamp', sim.ts);
  detach(sim, a, c);
}

// ---- while active -----------------------------------------------------------------------------

function hold(sim: Sim, c: Contact): void {
  c.activeMs += sim.now - c.activeAt;
  fan(sim, c, AGENT_SIDE | To.Site | To.Service | To.Detail, 'holds', 1);
  fan(sim, c, QUEUE_SIDE, 'active', -1);
  fan(sim, c, QUEUE_SIDE, 'heldContacts', 1);
  c.phase = Phase.Held;
  c.heldAt = sim.now;
  sim.store.flush();
}

function endHold(sim: Sim, a: AgentRt, c: Contact): void {
  const d = sim.secs(c.heldAt);
  const heldMs = sim.now - c.heldAt;
  c.holdMs += heldMs;
  fan(sim, c, AGENT_SIDE | QUEUE_SIDE | To.Site | To.Detail, 'holdDuration', d);
  sim.store.add(a.ent, 'totalHoldTimeDuration', d);
  if (heldMs > LONG_HOLD_MS) fan(sim, c, To.Agent | To.Groups, 'longHolds', 1);
  fan(sim, c, QUEUE_SIDE, 'heldContacts', -1);
}

function unhold(sim: Sim, a: AgentRt, c: Contact): void {
  endHold(sim, a, c);
  fan(sim, c, QUEUE_SIDE, 'active', 1);
  c.phase = Phase.Active;
  c.activeAt = sim.now;
  sim.store.flush();
}

/** Another logged-in agent, found by a few random probes (null if none is found). */
function otherAgent(sim: Sim, a: AgentRt, channel: number, mustTake: boolean): AgentRt | null {
  for (let i = 0; i < 8; i++) {
    const b = sim.agents[sim.prng.int(sim.agents.length)] as AgentRt;
    if (b === a || b.presence === Presence.LoggedOut) continue;
    if (!mustTake || (b.accounts[channel] !== undefined && canTake(b, channel))) return b;
  }
  return null;
}

function consult(sim: Sim, a: AgentRt, c: Contact): void {
  const st = sim.store;
  const d = sim.prng.range(15, 120);
  fan(sim, c, AGENT_SIDE | To.Detail, 'consults', 1);
  st.add(a.ent, 'consultsInitiated', 1);
  st.add(a.ent, 'consultDuration', d);
  st.add(a.ent, 'consultingDuration', d);
  const b = otherAgent(sim, a, c.service.info.channel, false);
  if (b) {
    st.add(b.ent, 'consultsAccepted', 1);
    st.add(b.ent, 'consultedDuration', d);
  }
  st.flush();
}

function conference(sim: Sim, a: AgentRt, c: Contact): void {
  fan(sim, c, AGENT_SIDE | To.Detail, 'conferenced', 1);
  sim.store.add(a.ent, 'conferencedInitiated', 1);
  const b = otherAgent(sim, a, c.service.info.channel, false);
  if (b) sim.store.add(b.ent, 'conferencedAccepted', 1);
  sim.store.flush();
}

/** A supervisor observes, coaches or barges in on an active contact of the agent. */
export function supervise(sim: Sim, a: AgentRt): boolean {
  const c = a.items.find((x) => x.phase === Phase.Active);
  if (!c) return false;
  const st = sim.store;
  const d = sim.prng.range(30, 300);
  const r = sim.prng.next();
  const coach = otherAgent(sim, a, c.service.info.channel, false);
  if (r < 0.5) {
    fan(sim, c, To.Agent | To.Groups, 'observed', 1);
    st.add(a.ent, 'observedDuration', d);
    if (coach) {
      st.add(coach.ent, 'observing', 1);
      st.add(coach.ent, 'observingDuration', d);
    }
  } else if (r < 0.8) {
    fan(sim, c, To.Agent | To.Groups, 'coached', 1);
    st.add(a.ent, 'coachedDuration', d);
    if (coach) {
      st.add(coach.ent, 'coaching', 1);
      st.add(coach.ent, 'coachingDuration', d);
    }
  } else {
    fan(sim, c, To.Agent | To.Groups, 'bargedIn', 1);
    st.add(a.ent, 'bargedInDuration', d);
    st.add(a.ent, 'bargedOut', 1);
    st.add(a.ent, 'bargedOutDuration', sim.prng.range(5, 60));
  }
  st.flush();
  return true;
}

/** The agent's part of the contact ends; after contact work starts. */
function release(sim: Sim, a: AgentRt, c: Contact, disposition: string, fromHold: boolean): void {
  const st = sim.store;
  if (!fromHold) c.activeMs += sim.now - c.activeAt;
  const activeSec = secondsOf(c.activeMs);
  fan(sim, c, AGENT_SIDE | QUEUE_SIDE | To.Site | To.Detail, 'activeTimeDuration', activeSec);
  st.add(a.ent, 'totalActiveTimeDuration', secondsOf(c.activeMs + c.holdMs));
  st.add(a.ent, 'contacthandlingDuration', secondsOf(c.alertMs + c.activeMs + c.holdMs));
  if (c.blended) st.add(a.ent, 'blendedActiveDuration', activeSec);
  if (c.activeMs < SHORT_ENGAGEMENT_MS) fan(sim, c, To.Agent | To.ByService | To.Groups, 'shortEngagements', 1);
  else if (c.activeMs > LONG_ENGAGEMENT_MS) fan(sim, c, To.Agent | To.ByService | To.Groups, 'longEngagements', 1);
  fan(sim, c, AGENT_SIDE | To.Site, 'active', -1);
  if (!fromHold) fan(sim, c, QUEUE_SIDE, 'active', -1);
  fan(sim, c, QUEUE_SIDE, 'contactsAtAgent', -1);
  st.set(c.cd, 'finalDisposition', disposition);
  st.set(c.cd, 'endTimestamp', sim.ts);
  st.flush();
  fan(sim, c, AGENT_SIDE | To.Site | QUEUE_SIDE, 'acw', 1);
  c.phase = Phase.Acw;
  c.acwAt = sim.now;
  sim.updateGauges(a);
  st.flush();
}

function complete(sim: Sim, a: AgentRt, c: Contact): void {
  fan(sim, c, AGENT_SIDE | To.Site | QUEUE_SIDE, 'completed', 1);
  // E-mail and SMS contacts are completed by replying.
  if (c.service.info.channel >= 2) fan(sim, c, To.Account | To.Site, 'replied', 1);
  release(sim, a, c, 'COMPLETED', false);
}

function disconnectFromHold(sim: Sim, a: AgentRt, c: Contact): void {
  endHold(sim, a, c);
  fan(sim, c, To.Agent | To.Groups, 'disconnectsFromHold', 1);
  fan(sim, c, AGENT_SIDE | To.Site | QUEUE_SIDE, 'completed', 1);
  release(sim, a, c, 'DISCONNECTED_FROM_HOLD', true);
}

/** Transfer to another routing service of the channel, or straight to another agent. */
function transfer(sim: Sim, a: AgentRt, c: Contact, toAgent: boolean): void {
  const channel = c.service.info.channel;
  const target = toAgent ? otherAgent(sim, a, channel, true) : null;
  fan(sim, c, AGENT_SIDE | To.Site | QUEUE_SIDE | To.Detail, 'transferred', 1);
  sim.store.add(a.ent, 'transferredInitiated', 1);
  sim.store.add(a.ent, target ? 'transferredInitiatedToAgent' : 'transferredInitiatedToService', 1);
  release(sim, a, c, 'TRANSFERRED', false);
  const service = target
    ? c.service
    : (c.service.transferTargets[sim.prng.int(c.service.transferTargets.length)] ?? c.service);
  const next = newSegment(sim, service, c.contactId, c.segment + 1, c.cd.dim['segmentId'] as string, c.customer);
  // The new segment counts as offered to its service either way, so that answered never exceeds offered.
  fan(sim, next, QUEUE_SIDE, 'offered', 1);
  if (target) {
    next.transferredFrom = 2;
    offer(sim, target, next, false);
  } else {
    next.transferredFrom = 1;
    sim.store.add(service.ent, 'transferredToService', 1);
    enqueue(sim, next, false);
    sim.store.flush();
  }
}

function finishAcw(sim: Sim, a: AgentRt, c: Contact): void {
  const acwMs = sim.now - c.acwAt;
  const acwSec = sim.secs(c.acwAt);
  fan(sim, c, AGENT_SIDE | QUEUE_SIDE | To.Site | To.Detail, 'acwDuration', acwSec);
  if (acwMs < SHORT_ACW_MS) fan(sim, c, AGENT_SIDE | QUEUE_SIDE, 'shortAcw', 1);
  else if (acwMs > LONG_ACW_MS) fan(sim, c, AGENT_SIDE | QUEUE_SIDE, 'longAcw', 1);
  if (sim.prng.chance(0.05)) fan(sim, c, To.Agent | To.Groups, 'acwExtended', 1);
  const handling = secondsOf(c.activeMs + c.holdMs) + acwSec;
  fan(sim, c, AGENT_SIDE | QUEUE_SIDE | To.Site | To.Detail, 'handlingDuration', handling);
  sim.store.add(a.ent, 'totalDuration', secondsOf(c.alertMs + c.activeMs + c.holdMs) + acwSec);
  detach(sim, a, c);
}

/** Advances one of the agent's contacts by one step. */
export function work(sim: Sim, a: AgentRt, c: Contact): void {
  const r = sim.prng.next();
  switch (c.phase) {
    case Phase.Alerting:
      if (r < 0.9) answer(sim, a, c);
      else if (r < 0.96) notAnswered(sim, a, c);
      else abandonAlerting(sim, a, c);
      return;
    case Phase.Active:
      if (r < 0.1) hold(sim, c);
      else if (r < 0.14) consult(sim, a, c);
      else if (r < 0.16) conference(sim, a, c);
      else if (r < 0.19) transfer(sim, a, c, false);
      else if (r < 0.2) transfer(sim, a, c, true);
      else complete(sim, a, c);
      return;
    case Phase.Held:
      if (r < 0.93) unhold(sim, a, c);
      else disconnectFromHold(sim, a, c);
      return;
    case Phase.Acw:
      finishAcw(sim, a, c);
      return;
    case Phase.Queued:
      return;
  }
}
