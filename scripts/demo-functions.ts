// Bodies of the demo flow's Function nodes. They run once per wallboard tick (every 2 s) on a
// snapshot of the state nodes, never once per delta, so the browser gets a few small updates a
// second however busy the feed is. Records come from the state node without a prototype: they are
// read with Object.keys and own-property checks only.

/** Wallboard tick in seconds: how often the tables are refreshed from the accumulated state. */
export const TICK_SECONDS = 2;
/** How often the agents-by-state chart gets a point. */
export const CHART_EVERY_MS = 10_000;

/** Agent states in wallboard order: those needing attention first. */
export const AGENT_STATE_ORDER = ['NOT_READY', 'PENDING_NOT_READY', 'READY', 'PENDING_LOGIN', 'LOGGED_OUT'] as const;
/** Series of the chart (logged-in states), keyed by the label the chart shows. */
export const CHART_SERIES: ReadonlyArray<readonly [label: string, state: string]> = [
  ['Ready', 'READY'],
  ['Not ready', 'NOT_READY'],
  ['Pending not ready', 'PENDING_NOT_READY'],
  ['Logging in', 'PENDING_LOGIN'],
];

/**
 * Agents snapshot → output 1: the table rows (every tick) with the count per state; output 2: one
 * chart point per CHART_EVERY_MS, only while the view is synced (a half-loaded view would dip).
 */
export const agentBoardFunction = `const ORDER = ${JSON.stringify(AGENT_STATE_ORDER)};
const SERIES = ${JSON.stringify(CHART_SERIES)};
const CHART_EVERY_MS = ${CHART_EVERY_MS};
const records = msg.payload && typeof msg.payload === 'object' ? msg.payload : {};
const counts = {};
for (const state of ORDER) counts[state] = 0;
const rows = [];
for (const key of Object.keys(records)) {
    const r = records[key];
    if (!r || typeof r !== 'object') continue;
    const state = typeof r.agentState === 'string' ? r.agentState : 'UNKNOWN';
    if (Object.prototype.hasOwnProperty.call(counts, state)) counts[state]++;
    const pausing = state === 'NOT_READY' || state === 'PENDING_NOT_READY';
    const fullName = [r.agentFirstName, r.agentLastName].filter((p) => typeof p === 'string' && p).join(' ');
    rows.push({
        id: String(r.agentId),
        name: String(r.agentDisplayName || fullName || r.agentId),
        state,
        work: state === 'READY' && typeof r.workState === 'string' ? r.workState : '',
        reason: pausing ? String(r.nrReasonCodeName || r.nrReasonCode || '') : '',
        inStateMs: typeof r.timeInStateMs === 'number' ? r.timeInStateMs : null
    });
}
const rank = (state) => { const i = ORDER.indexOf(state); return i < 0 ? ORDER.length : i; };
// Attention first (not ready, longest first), then ready agents (longest idle first), logged out last.
rows.sort((a, b) => rank(a.state) - rank(b.state)
    || (b.inStateMs === null ? -1 : b.inStateMs) - (a.inStateMs === null ? -1 : a.inStateMs)
    || a.name.localeCompare(b.name));
const now = Date.now();
let point = null;
if (msg.synced === true && now - (context.get('chartAt') || 0) >= CHART_EVERY_MS) {
    context.set('chartAt', now);
    // One point per series, as an array: the chart stores and ages out each point on its own.
    point = { topic: 'agents by state', payload: SERIES.map(([label, state]) => ({ series: label, count: counts[state] })) };
}
return [{ topic: 'agents', payload: rows, counts, synced: msg.synced === true, at: now }, point];`;

/** Routing-service snapshot → one row per service: contacts waiting, oldest wait, staffing, service level. */
export const queueBoardFunction = `const records = msg.payload && typeof msg.payload === 'object' ? msg.payload : {};
const now = Date.now();
const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const rows = [];
for (const key of Object.keys(records)) {
    const r = records[key];
    if (!r || typeof r !== 'object') continue;
    const waiting = num(r.contactsWaiting);
    // oldestContactWaitTime is the (epoch ms) arrival of the oldest waiting contact; null when none waits.
    const oldest = waiting > 0 && typeof r.oldestContactWaitTime === 'number' ? Math.max(0, now - r.oldestContactWaitTime) : null;
    rows.push({
        name: String(r.routingServiceName),
        channel: typeof r.channelId === 'string' ? r.channelId : '',
        waiting,
        oldestMs: oldest,
        thresholdS: num(r.serviceLevelThreshold),
        ready: num(r.agentsReady),
        loggedIn: num(r.agentsLoggedIn),
        serviceLevel: typeof r.serviceLevel === 'number' ? r.serviceLevel : null
    });
}
// A fixed order: a wallboard's rows should not jump every two seconds; colours show where to look.
rows.sort((a, b) => a.name.localeCompare(b.name));
return { topic: 'queues', payload: rows, synced: msg.synced === true, at: now };`;

/**
 * Control events of the subscribe nodes (and the tick) → the feed-health indicator: the worst state
 * over the streams (login refused > disconnected > stale > synchronising > live), with each stream's.
 */
export const feedHealthFunction = `const LEVELS = {
    'auth-failed': ['down', 'Login refused: check the supervisor and password of the server node'],
    disconnected: ['down', 'Disconnected: reconnecting'],
    unsubscribed: ['down', 'Unsubscribed'],
    stale: ['stale', 'Stale: server heartbeats missed, reconnecting'],
    connected: ['sync', 'Synchronising'],
    subscribed: ['sync', 'Synchronising'],
    pumpupComplete: ['live', 'Live'],
    ready: ['live', 'Live']
};
const RANK = { down: 3, stale: 2, sync: 1, live: 0 };
const streams = context.get('streams') || {};
// A tick re-sends the state with a fresh "at", so a browser opening the page later shows the right age.
const tick = msg.action === 'snapshot';
if (!tick) {
    if (typeof msg.producer !== 'string' || !Object.prototype.hasOwnProperty.call(LEVELS, msg.control)) return null;
    const at = msg.payload && typeof msg.payload.at === 'number' ? msg.payload.at : Date.now();
    const reason = msg.payload && typeof msg.payload.reason === 'string' ? msg.payload.reason : '';
    const previous = streams[msg.producer];
    // "since" is when the stream entered its current level, not the time of its latest event.
    const level = LEVELS[msg.control][0];
    streams[msg.producer] = { control: msg.control, level, reason, since: previous && previous.level === level ? previous.since : at };
    context.set('streams', streams);
}
if (Object.keys(streams).length === 0) return null;
let worst = null;
const list = Object.keys(streams).sort().map((producer) => {
    const s = streams[producer];
    if (worst === null || RANK[s.level] > RANK[worst.level]) worst = s;
    return { producer, level: s.level, text: LEVELS[s.control][1], reason: s.reason, since: s.since };
});
return { topic: 'feed', payload: { level: worst.level, text: LEVELS[worst.control][1], reason: worst.reason, since: worst.since, streams: list }, at: Date.now() };`;

/**
 * The raised alerts of the demo's alert node, for the wallboard: a raise or repeat adds (or refreshes)
 * an alert, a clear removes it; a tick re-sends the list so a page opened later gets it.
 * msg.payload = { count, alerts: [{ id, text, since }] }, oldest first.
 */
export const alertBoardFunction = `const alerts = context.get('alerts') || {};
if (msg.action !== 'snapshot') {
    if (typeof msg.topic !== 'string' || (msg.alert !== 'raise' && msg.alert !== 'repeat' && msg.alert !== 'clear')) return null;
    if (msg.alert === 'clear') delete alerts[msg.topic];
    else alerts[msg.topic] = { id: msg.topic, text: String(msg.payload), since: (msg.details && msg.details.since) || Date.now() };
    context.set('alerts', alerts);
}
const list = Object.keys(alerts).map((id) => alerts[id]).sort((a, b) => a.since - b.since);
return { payload: { count: list.length, alerts: list }, at: Date.now() };`;
