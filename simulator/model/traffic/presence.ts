// Agent state transitions: login (LOGGED_OUT → PENDING_LOGIN → NOT_READY with the default reason),
// READY, NOT_READY with a reason, a revised reason, PENDING_NOT_READY while work is in progress,
// logout. Each transition is a counters message then a state message, as in the guide's samples.
import { CHANNELS } from '../catalog/producers';
import { READY_REASON } from '../world';
import { Presence, type AgentRt, type Contact, type Sim } from './runtime';

/** A Not Ready period shorter than this counts as shortNotReady. */
const SHORT_NOT_READY_MS = 10_000;

/** Adds to a measure of the agent and of every group it is in. */
export function addAgentAndGroups(sim: Sim, a: AgentRt, k: string, n: number): void {
  sim.store.add(a.ent, k, n);
  for (const g of a.groups) sim.store.add(g, k, n);
}

function addAccounts(sim: Sim, a: AgentRt, k: string, n: number): void {
  for (const e of a.accountList) sim.store.add(e, k, n);
}

/** Adds the logged-in time since the last checkpoint to the agent, its groups, site and accounts. */
function logonCheckpoint(sim: Sim, a: AgentRt): void {
  const d = sim.secs(a.logonMark);
  a.logonMark = sim.now;
  addAgentAndGroups(sim, a, 'agentLogonDuration', d);
  sim.store.add(a.site, 'agentLogonDuration', d);
  addAccounts(sim, a, 'accountLogonDuration', d);
}

export function endIdle(sim: Sim, a: AgentRt): void {
  if (a.idleSince < 0) return;
  const d = sim.secs(a.idleSince);
  a.idleSince = -1;
  addAgentAndGroups(sim, a, 'idleTimeDuration', d);
  addAccounts(sim, a, 'idleTimeDuration', d);
}

function leaveNotReady(sim: Sim, a: AgentRt): void {
  const d = sim.secs(a.notReadySince);
  addAgentAndGroups(sim, a, 'agentNotReadyTimeDuration', d);
  addAccounts(sim, a, 'accountNotReadyTimeDuration', d);
  const reasonEnt = sim.byReason(a, a.reason);
  sim.store.add(reasonEnt, 'nrReasonCodeDuration', sim.secs(a.reasonSince));
  if (sim.now - a.notReadySince < SHORT_NOT_READY_MS) {
    sim.store.add(a.ent, 'shortNotReady', 1);
    sim.store.add(reasonEnt, 'shortNotReady', 1);
  }
}

/** The state message: agent and account states, reason code and the timestamps that go with them. */
function stateMessage(
  sim: Sim,
  a: AgentRt,
  agentState: string,
  accountState: string,
  code: string,
  name: string,
  stateChanged: boolean,
): void {
  const st = sim.store;
  const ts = sim.ts;
  if (stateChanged) st.set(a.ent, 'lastStateChangeTimestamp', ts);
  st.set(a.ent, 'nrReasonCodeName', name);
  st.set(a.ent, 'agentState', agentState);
  refreshWork(sim, a);
  st.set(a.ent, 'lastStateReasonTimestamp', ts);
  st.set(a.ent, 'nrReasonCode', code);
  for (const e of a.accountList) {
    st.set(e, 'accountState', accountState);
    if (stateChanged) st.set(e, 'lastStateChangeTimestamp', ts);
    st.set(e, 'lastStateReasonTimestamp', ts);
    st.set(e, 'nrReasonCode', code);
    st.set(e, 'nrReasonCodeName', name);
  }
}

function occurrence(sim: Sim, a: AgentRt, reason: number): void {
  const e = sim.byReason(a, reason);
  sim.store.add(e, 'nrReasonCodeOccurrence', 1);
  sim.store.set(e, 'lastOccurrenceTimestamp', sim.ts);
  sim.store.set(e, 'lastStateChangeTimestamp', sim.ts);
}

/** workState, its change timestamp and the active-work counts, from the agent's presence and contacts. */
export function refreshWork(sim: Sim, a: AgentRt): void {
  const st = sim.store;
  const items = a.items;
  let workState: string;
  if (a.presence !== Presence.Ready) workState = 'UNAVAILABLE';
  else if (items.length === 0) workState = 'IDLE';
  else if (items.length >= a.info.workLimit || (items[0] as Contact).service.info.channel === 0) workState = 'BUSY';
  else workState = 'AVAILABLE';
  if (a.ent.get('workState') !== workState) {
    st.set(a.ent, 'workState', workState);
    st.set(a.ent, 'lastWorkCodeChangeTimestamp', sim.ts);
  }
  st.set(a.ent, 'activeWorkCount', String(items.length));
  for (let ch = 0; ch < CHANNELS.length; ch++) {
    const e = a.accounts[ch];
    if (!e) continue;
    let n = 0;
    for (const c of items) if (c.service.info.channel === ch) n++;
    st.set(e, 'activeWorkCount', String(n));
  }
}

export function login(sim: Sim, a: AgentRt): void {
  const st = sim.store;
  st.set(a.ent, 'agentState', 'PENDING_LOGIN');
  st.set(a.ent, 'lastStateChangeTimestamp', sim.ts);
  st.set(a.ent, 'loginTimeStamp', sim.ts);
  // The guide: the PENDING_LOGIN event may or may not carry the reason code.
  const dflt = sim.world.reasonCodes[0];
  if (dflt && sim.prng.chance(0.5)) {
    st.set(a.ent, 'nrReasonCode', dflt.code);
    st.set(a.ent, 'nrReasonCodeName', dflt.name);
  }
  for (const e of a.accountList) st.set(e, 'loginTimeStamp', sim.ts);
  st.flush();
  a.presence = Presence.NotReady;
  a.logonMark = sim.now;
  enterNotReady(sim, a, 0);
}

export function ready(sim: Sim, a: AgentRt): void {
  const st = sim.store;
  leaveNotReady(sim, a);
  logonCheckpoint(sim, a);
  addAgentAndGroups(sim, a, 'agentReady', 1);
  addAccounts(sim, a, 'accountReady', 1);
  st.flush();
  a.presence = Presence.Ready;
  a.idleSince = sim.now;
  stateMessage(sim, a, 'READY', 'READY', READY_REASON, READY_REASON, true);
  sim.updateGauges(a);
  st.flush();
}

/** From Ready (idle), from a completed PENDING_NOT_READY, or right after login. */
export function enterNotReady(sim: Sim, a: AgentRt, reason: number): void {
  const st = sim.store;
  endIdle(sim, a);
  logonCheckpoint(sim, a);
  addAgentAndGroups(sim, a, 'agentNotReady', 1);
  addAccounts(sim, a, 'accountNotReady', 1);
  st.flush();
  a.presence = Presence.NotReady;
  a.notReadySince = sim.now;
  a.reasonSince = sim.now;
  a.reason = reason;
  const rc = sim.world.reasonCodes[reason];
  stateMessage(sim, a, 'NOT_READY', 'NOT_READY', rc?.code ?? '0', rc?.name ?? 'DEFAULT', true);
  occurrence(sim, a, reason);
  sim.updateGauges(a);
  st.flush();
}

/** Ready with work in progress: the agent asks for Not Ready, which applies once the last contact is done. */
export function requestNotReady(sim: Sim, a: AgentRt, reason: number): void {
  a.presence = Presence.PendingNotReady;
  a.pendingReason = reason;
  const dflt = sim.world.reasonCodes[0];
  // As in the guide's sample: the pending state shows the default code; the real one comes with NOT_READY.
  stateMessage(sim, a, 'PENDING_NOT_READY', 'PENDING_NOT_READY', dflt?.code ?? '0', dflt?.name ?? 'DEFAULT', true);
  sim.updateGauges(a);
  sim.store.flush();
}

/** A revised reason while Not Ready: not a state change, but a new event (lastStateReasonTimestamp moves). */
export function changeReason(sim: Sim, a: AgentRt, reason: number): void {
  sim.store.add(sim.byReason(a, a.reason), 'nrReasonCodeDuration', sim.secs(a.reasonSince));
  a.reasonSince = sim.now;
  a.reason = reason;
  const rc = sim.world.reasonCodes[reason];
  stateMessage(sim, a, 'NOT_READY', 'NOT_READY', rc?.code ?? '0', rc?.name ?? 'DEFAULT', false);
  occurrence(sim, a, reason);
  sim.store.flush();
}

export function logout(sim: Sim, a: AgentRt): void {
  const st = sim.store;
  leaveNotReady(sim, a);
  logonCheckpoint(sim, a);
  st.flush();
  a.presence = Presence.LoggedOut;
  st.set(a.ent, 'lastStateChangeTimestamp', sim.ts);
  st.set(a.ent, 'agentState', 'LOGGED_OUT');
  st.set(a.ent, 'agentLogoutTimeStamp', sim.ts);
  refreshWork(sim, a);
  for (const e of a.accountList) {
    st.set(e, 'accountState', 'LOGGED_OUT');
    st.set(e, 'lastStateChangeTimestamp', sim.ts);
    st.set(e, 'agentLogoutTimeStamp', sim.ts);
  }
  sim.updateGauges(a);
  st.flush();
}

/** Whether the agent may be offered a contact of this channel now (voice takes the whole agent). */
export function canTake(a: AgentRt, channel: number): boolean {
  if (a.presence !== Presence.Ready) return false;
  const items = a.items;
  if (items.length === 0) return true;
  if (channel === 0 || items.length >= a.info.workLimit) return false;
  for (const c of items) if (c.service.info.channel === 0) return false;
  return true;
}
