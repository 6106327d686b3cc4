// What happens next: one event is one transition of the contact center, chosen at random (seeded):
// a contact arrives, a waiting customer gives up, a supervisor joins a contact, or an agent moves
// on (logs in, goes Ready / Not Ready, takes, answers, holds, transfers or finishes a contact…).
import { pull, supervise, work } from './contacts';
import { abandonQueued, arrive } from './queue';
import { canTake, changeReason, enterNotReady, login, logout, ready, requestNotReady } from './presence';
import { Presence, type AgentRt, type Contact, type Sim } from './runtime';

const P_ARRIVAL = 0.1;
const P_ABANDON = 0.04;
const P_SUPERVISE = 0.005;

export function runEvent(sim: Sim): void {
  const prng = sim.prng;
  const r = prng.next();
  const a = sim.agents[prng.int(sim.agents.length)] as AgentRt;
  if (r < P_ARRIVAL) return arriveFor(sim, a);
  if (r < P_ARRIVAL + P_ABANDON && maybeAbandon(sim)) return;
  if (r < P_ARRIVAL + P_ABANDON + P_SUPERVISE && supervise(sim, a)) return;
  agentEvent(sim, a);
}

/** A contact for one of the agent's services: arrivals follow staffing, as routing is skill-based. */
function arriveFor(sim: Sim, a: AgentRt): void {
  const s = a.services[sim.prng.int(a.services.length)];
  if (s) arrive(sim, s);
}

/** The longest-waiting customer of a random service gives up, more likely the longer it waited. */
function maybeAbandon(sim: Sim): boolean {
  const s = sim.services[sim.prng.int(sim.services.length)];
  const head = s?.queue[0];
  if (!s || !head) return false;
  const patience = s.info.threshold * 3000;
  if (!sim.prng.chance(Math.min(0.9, (sim.now - head.queuedAt) / patience))) return false;
  abandonQueued(sim, s);
  return true;
}

function randomReason(sim: Sim, except: number): number {
  const n = sim.world.reasonCodes.length;
  // Codes 1… are chosen by agents; 0 is the default that login sets.
  let reason = 1 + sim.prng.int(n - 1);
  if (reason === except) reason = 1 + (reason % (n - 1));
  return reason;
}

function agentEvent(sim: Sim, a: AgentRt): void {
  const prng = sim.prng;
  switch (a.presence) {
    case Presence.LoggedOut:
      if (prng.chance(0.25)) login(sim, a);
      else arriveFor(sim, a);
      return;
    case Presence.NotReady: {
      const r = prng.next();
      if (r < 0.8) ready(sim, a);
      else if (r < 0.93) changeReason(sim, a, randomReason(sim, a.reason));
      else logout(sim, a);
      return;
    }
    case Presence.PendingNotReady:
    case Presence.Ready: {
      const items = a.items;
      const roomForMore = a.presence === Presence.Ready && (items.length === 0 || canTake(a, 1));
      if (items.length > 0 && (!roomForMore || prng.chance(0.75))) {
        if (a.presence === Presence.Ready && prng.chance(0.03)) requestNotReady(sim, a, randomReason(sim, -1));
        else work(sim, a, items[prng.int(items.length)] as Contact);
        return;
      }
      if (pull(sim, a)) return;
      if (items.length > 0) {
        work(sim, a, items[prng.int(items.length)] as Contact);
        return;
      }
      const r = prng.next();
      if (r < 0.15) enterNotReady(sim, a, randomReason(sim, -1));
      else if (r < 0.17) extraWork(sim, a);
      else {
        arriveFor(sim, a);
        pull(sim, a);
      }
      return;
    }
  }
}

/** Work not tied to a routed contact: additional work or an ad hoc contact. */
function extraWork(sim: Sim, a: AgentRt): void {
  const d = sim.prng.range(20, 240);
  const adHoc = sim.prng.chance(0.5);
  sim.store.add(a.ent, adHoc ? 'adHoc' : 'additionalWork', 1);
  sim.store.add(a.ent, adHoc ? 'adHocDuration' : 'additionalWorkDuration', d);
  sim.store.flush();
}
