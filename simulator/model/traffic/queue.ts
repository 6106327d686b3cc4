// The routing-service side of a contact: arrival at a routing point (VDN), the queue and its gauges
// (contacts waiting, oldest waiting contact, expected wait, service level), abandons in queue, and
// the ContactDetail record of every segment (a bounded window of the most recent ones).
import { CHANNELS, P } from '../catalog/producers';
import { UNKNOWN } from '../wire';
import { fan, QUEUE_SIDE, secondsOf } from './fan';
import { Phase, type Contact, type ServiceRt, type Sim } from './runtime';

/** Oldest waiting contact of the service and of its group, and the expected wait time. */
export function queueChanged(sim: Sim, s: ServiceRt): void {
  const st = sim.store;
  const head = s.queue[0];
  st.set(s.ent, 'oldestContactWaitTime', head ? head.queuedTs : UNKNOWN);
  let oldest: Contact | undefined;
  for (const o of s.siblings) {
    const h = o.queue[0];
    if (h && (!oldest || h.queuedAt < oldest.queuedAt)) oldest = h;
  }
  st.set(s.group, 'oldestContactWaitTime', oldest ? oldest.queuedTs : UNKNOWN);
  const answered = s.ent.num('answered');
  const averageHandling = answered > 0 ? s.ent.num('handlingDuration') / answered : 120;
  const staff = Math.max(1, s.ent.num('agentsLoggedIn'));
  st.set(s.ent, 'ewt', Math.ceil((s.queue.length * averageHandling) / staff));
}

export function serviceLevel(sim: Sim, s: ServiceRt, waitMs: number): void {
  const answered = s.ent.num('answered');
  const late = s.ent.num('answeredAfterThreshold');
  const abandonedLate = s.ent.num('abandonedAfterThreshold');
  const total = answered + abandonedLate;
  if (total > 0) sim.store.set(s.ent, 'serviceLevel', Math.round((100 * (answered - late)) / total));
  if (secondsOf(waitMs) > s.ent.num('maxWaitTime')) sim.store.set(s.ent, 'maxWaitTime', secondsOf(waitMs));
}

function customerAddress(sim: Sim, channel: number): string {
  const digits = (n: number): string => String(sim.prng.int(10 ** n)).padStart(n, '0');
  switch (channel) {
    case 0:
      return '+35391' + digits(6);
    case 1:
      return 'web-visitor-' + digits(6);
    case 2:
      return `customer${digits(5)}@mail.example.org`;
    default:
      return '+35387' + digits(7);
  }
}

/** A ContactDetail record for a new segment; the oldest records beyond the window are evicted. */
export function newSegment(
  sim: Sim,
  s: ServiceRt,
  contactId: string,
  segment: number,
  previous: string,
  customer: string,
): Contact {
  const st = sim.store;
  const cd = st.create(P.contactDetail, ['segmentId'], [sim.prng.uuid()]);
  const channel = s.info.channel;
  cd.init('contactId', contactId);
  cd.init('previousSegmentId', previous);
  cd.init('ucid', channel === 0 ? sim.ts.slice(6) + String(sim.prng.int(1_000_000)).padStart(6, '0') : UNKNOWN);
  cd.init('customerAddress', customer);
  cd.init('routingServiceName', s.info.name);
  cd.init('routingPointId', s.info.routingPointId);
  cd.init('workType', 'DEFAULT');
  cd.init('channelId', CHANNELS[channel] as string);
  cd.init('direction', 'INBOUND');
  cd.init('startTimestamp', sim.ts);
  cd.init('segmentSequence', segment);
  st.announce(cd);
  sim.segments.push(cd);
  while (sim.segments.size > sim.options.contactDetailWindow) {
    const old = sim.segments.shift();
    if (old) st.remove(old, sim.options.announceEvictions);
  }
  return {
    contactId,
    segment,
    service: s,
    cd,
    customer,
    phase: Phase.Queued,
    agent: null,
    ra: null,
    queuedAt: sim.now,
    queuedTs: sim.ts,
    waitMs: 0,
    alertAt: 0,
    alertMs: 0,
    activeAt: 0,
    activeMs: 0,
    heldAt: 0,
    holdMs: 0,
    acwAt: 0,
    blended: false,
    transferredFrom: 0,
  };
}

export function enqueue(sim: Sim, c: Contact, atHead: boolean): void {
  if (atHead) c.service.queue.unshift(c);
  else c.service.queue.push(c);
  fan(sim, c, QUEUE_SIDE, 'contactsWaiting', 1);
  queueChanged(sim, c.service);
}

/** A new contact at the routing point of a service: routed into the queue, refused (busy) or lost in routing. */
export function arrive(sim: Sim, s: ServiceRt): void {
  const st = sim.store;
  const v = s.vdn;
  st.add(v, 'routePointOffered', 1);
  st.set(v, 'lastArrivalTimestamp', sim.ts);
  st.add(v, 'routingDuration', sim.prng.range(0, 3));
  if (s.queue.length >= sim.queueCap) {
    st.add(v, 'routePointBusies', 1);
    st.flush();
    return;
  }
  const c = newSegment(sim, s, sim.prng.uuid(), 1, UNKNOWN, customerAddress(sim, s.info.channel));
  if (sim.prng.chance(0.015)) {
    st.add(v, 'routePointDisconnects', 1);
    st.set(c.cd, 'initialDisposition', 'DISCONNECTED');
    st.set(c.cd, 'finalDisposition', 'DISCONNECTED_IN_ROUTING');
    st.set(c.cd, 'endTimestamp', sim.ts);
    st.flush();
    return;
  }
  st.add(v, 'routePointHandled', 1);
  fan(sim, c, QUEUE_SIDE, 'offered', 1);
  enqueue(sim, c, false);
  st.flush();
}

/** The customer waiting longest in the service hangs up. */
export function abandonQueued(sim: Sim, s: ServiceRt): void {
  const c = s.queue.shift();
  if (!c) return;
  const st = sim.store;
  const waitMs = sim.now - c.queuedAt;
  fan(sim, c, QUEUE_SIDE, 'contactsWaiting', -1);
  fan(sim, c, QUEUE_SIDE, 'abandoned', 1);
  st.add(s.ent, 'abandonedFromQueue', 1);
  fan(sim, c, QUEUE_SIDE, 'abandonTimeDuration', secondsOf(waitMs));
  if (waitMs > s.info.threshold * 1000) fan(sim, c, QUEUE_SIDE, 'abandonedAfterThreshold', 1);
  queueChanged(sim, s);
  serviceLevel(sim, s, waitMs);
  st.set(c.cd, 'queueDuration', secondsOf(waitMs));
  st.set(c.cd, 'initialDisposition', 'ABANDONED');
  st.set(c.cd, 'finalDisposition', 'ABANDONED_IN_QUEUE');
  st.set(c.cd, 'endTimestamp', sim.ts);
  st.flush();
}
