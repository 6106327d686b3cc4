// Vue templates of the wallboard's Dashboard 2 ui-template widgets (agents, queues, feed health) and
// the page style. Each widget gets one msg per tick from a Function node (demo-functions.ts); times
// keep ticking in the browser between msgs: elapsed = the value at the server + the time since the
// msg arrived (so the browser's clock never matters).

/** State → colour class and label; colours pass WCAG AA with white text. */
const STATE_STYLE = {
  READY: ['ready', 'Ready'],
  NOT_READY: ['not-ready', 'Not ready'],
  PENDING_NOT_READY: ['pending', 'Pending not ready'],
  PENDING_LOGIN: ['login', 'Logging in'],
  LOGGED_OUT: ['out', 'Logged out'],
} as const;

/** Shared by the templates: ms → "m:ss" or "h:mm:ss"; a dash for unknown. */
const DURATION_METHOD = `duration(ms) {
            if (typeof ms !== 'number' || !isFinite(ms)) return '–';
            const s = Math.max(0, Math.floor(ms / 1000));
            const two = (n) => String(n).padStart(2, '0');
            const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
            return h > 0 ? h + ':' + two(m) + ':' + two(s % 60) : m + ':' + two(s % 60);
        }`;

/** Component options shared by the templates: a 1 s clock and the arrival time of the current msg. */
const CLOCK = `data() { return { now: Date.now(), receivedAt: Date.now(), timer: null }; },
    watch: { msg() { this.receivedAt = Date.now(); this.now = this.receivedAt; } },
    mounted() { this.timer = setInterval(() => { this.now = Date.now(); }, 1000); },
    unmounted() { clearInterval(this.timer); }`;

const script = (body: string): string => `<script>\nexport default {\n    ${CLOCK},\n${body}\n}\n</` + 'script>';

export const agentsTemplate = `<template>
    <div class="aa-agents">
        <div class="aa-summary">
            <span v-for="s in summary" :key="s.state" class="aa-pill" :class="'aa-' + s.cls">{{ s.label }} <b>{{ s.count }}</b></span>
            <span v-if="msg.synced === false" class="aa-muted">synchronising…</span>
        </div>
        <div class="aa-scroll">
            <table class="aa-table">
                <thead><tr><th>Agent</th><th>State</th><th>Reason / work</th><th class="aa-num">In state</th></tr></thead>
                <tbody>
                    <tr v-for="row in rows" :key="row.id" :class="{ 'aa-dim': row.state === 'LOGGED_OUT' }">
                        <td class="aa-name">{{ row.name }}</td>
                        <td><span class="aa-pill" :class="'aa-' + style(row.state)[0]">{{ style(row.state)[1] }}</span></td>
                        <td :class="{ 'aa-muted': !row.reason }">{{ row.reason || work(row.work) }}</td>
                        <td class="aa-num" :class="{ 'aa-alert': late(row) }">{{ duration(inState(row)) }}</td>
                    </tr>
                    <tr v-if="!rows.length"><td colspan="4" class="aa-muted">Waiting for agent data…</td></tr>
                </tbody>
            </table>
        </div>
    </div>
</template>
${script(`    computed: {
        rows() { return Array.isArray(this.msg.payload) ? this.msg.payload : []; },
        summary() {
            const counts = this.msg.counts || {};
            return Object.keys(this.styles).map((state) => ({ state, cls: this.styles[state][0], label: this.styles[state][1], count: counts[state] || 0 }));
        },
        styles() { return ${JSON.stringify(STATE_STYLE)}; }
    },
    methods: {
        style(state) { return this.styles[state] || ['out', state]; },
        work(w) { return w ? w.charAt(0) + w.slice(1).toLowerCase() : ''; },
        inState(row) { return row.inStateMs === null ? null : row.inStateMs + (this.now - this.receivedAt); },
        // Not ready for 10 minutes or more: what the alert example flow warns about.
        late(row) { return row.state === 'NOT_READY' && this.inState(row) >= 600000; },
        ${DURATION_METHOD}
    }`)}`;

export const queuesTemplate = `<template>
    <table class="aa-table aa-queues">
        <thead><tr><th>Routing service</th><th class="aa-num">Waiting</th><th class="aa-num">Oldest</th><th class="aa-num">Ready</th><th class="aa-num">SL %</th></tr></thead>
        <tbody>
            <tr v-for="q in rows" :key="q.name">
                <td class="aa-name aa-clip" :title="q.name + (q.channel ? ' (' + q.channel + ')' : '')">{{ q.name }}</td>
                <td class="aa-num" :class="{ 'aa-muted': q.waiting === 0, 'aa-strong': q.waiting > 0 }">{{ q.waiting }}</td>
                <td class="aa-num" :class="waitClass(q)">{{ q.waiting > 0 ? duration(oldest(q)) : '–' }}</td>
                <td class="aa-num">{{ q.ready }}<span class="aa-muted">/{{ q.loggedIn }}</span></td>
                <td class="aa-num" :class="slClass(q)">{{ q.serviceLevel === null ? '–' : Math.round(q.serviceLevel) }}</td>
            </tr>
            <tr v-if="!rows.length"><td colspan="5" class="aa-muted">Waiting for routing-service data…</td></tr>
        </tbody>
    </table>
</template>
${script(`    computed: {
        rows() { return Array.isArray(this.msg.payload) ? this.msg.payload : []; }
    },
    methods: {
        oldest(q) { return q.oldestMs === null ? null : q.oldestMs + (this.now - this.receivedAt); },
        // Over the service's own service-level threshold: red; over half of it: amber.
        waitClass(q) {
            const ms = this.oldest(q);
            if (ms === null || !q.thresholdS) return 'aa-muted';
            return ms >= q.thresholdS * 1000 ? 'aa-alert' : ms >= q.thresholdS * 500 ? 'aa-warn' : '';
        },
        slClass(q) { return q.serviceLevel === null ? 'aa-muted' : q.serviceLevel >= 80 ? 'aa-good' : q.serviceLevel >= 60 ? 'aa-warn' : 'aa-alert'; },
        ${DURATION_METHOD}
    }`)}`;

export const feedTemplate = `<template>
    <div class="aa-feed">
        <span class="aa-dot" :class="'aa-feed-' + level"></span>
        <div>
            <div class="aa-feed-text">{{ text }} <span v-if="feed" class="aa-muted">for {{ duration(age) }}</span></div>
            <div class="aa-muted aa-small">
                <span v-for="s in streams" :key="s.producer" class="aa-stream"><span class="aa-dot aa-dot-small" :class="'aa-feed-' + s.level"></span>{{ s.producer }}</span>
                <span v-if="feed && feed.level !== 'live' && feed.reason"> · {{ feed.reason }}</span>
            </div>
        </div>
    </div>
</template>
${script(`    computed: {
        feed() { return this.msg.payload && this.msg.payload.level ? this.msg.payload : null; },
        level() { return this.feed ? this.feed.level : 'sync'; },
        text() { return this.feed ? this.feed.text : 'Waiting for the feed…'; },
        streams() { return this.feed ? this.feed.streams : []; },
        age() { return this.feed ? (this.msg.at - this.feed.since) + (this.now - this.receivedAt) : null; }
    },
    methods: {
        ${DURATION_METHOD}
    }`)}`;

export const alertsTemplate = `<template>
    <div class="aa-alerts">
        <div class="aa-feed-text">Alerts <span class="aa-pill" :class="count > 0 ? 'aa-alerts-raised' : 'aa-alerts-none'">{{ count }}</span></div>
        <div v-if="count === 0" class="aa-muted aa-small">No alert raised</div>
        <div v-for="a in alerts" :key="a.id" class="aa-small aa-alert-line">{{ a.text }}</div>
    </div>
</template>
${script(`    computed: {
        alerts() { return this.msg.payload && Array.isArray(this.msg.payload.alerts) ? this.msg.payload.alerts.slice(0, 8) : []; },
        count() { return this.msg.payload && typeof this.msg.payload.count === 'number' ? this.msg.payload.count : 0; }
    }`)}`;

/** Page-wide CSS (a ui-template of scope "page:style"). */
export const wallboardStyle = `
.aa-table { width: 100%; border-collapse: collapse; font-size: 14px; font-variant-numeric: tabular-nums; }
.aa-table th { position: sticky; top: 0; background: #111a2b; color: #94a3b8; font-weight: 600; text-align: left;
  font-size: 12px; text-transform: uppercase; letter-spacing: .04em; padding: 6px 8px; border-bottom: 1px solid #24324a; }
.aa-table td { padding: 4px 8px; border-bottom: 1px solid #1a2438; color: #e5e7eb; white-space: nowrap; }
.aa-table tbody tr:hover td { background: #16223a; }
.aa-num { text-align: right !important; }
.aa-name { font-weight: 500; }
.aa-muted { color: #8190a5 !important; }
.aa-small { font-size: 12px; }
.aa-strong { font-weight: 700; }
.aa-dim td { opacity: .55; }
.aa-alert { color: #f87171 !important; font-weight: 700; }
.aa-warn { color: #fbbf24 !important; font-weight: 600; }
.aa-good { color: #4ade80 !important; }
.aa-pill { display: inline-block; min-width: 88px; padding: 1px 10px; border-radius: 999px; font-size: 12px; font-weight: 600;
  color: #fff; text-align: center; }
.aa-ready { background: #15803d; }
.aa-not-ready { background: #b91c1c; }
.aa-pending { background: #b45309; }
.aa-login { background: #1d4ed8; }
.aa-out { background: #334155; color: #cbd5e1; }
.aa-summary { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 8px; }
.aa-summary .aa-pill { font-size: 14px; padding: 4px 12px; min-width: 0; }
.aa-summary .aa-pill b { margin-left: 6px; font-size: 16px; }
.aa-scroll { max-height: calc(100vh - 215px); overflow-y: auto; }
.aa-queues { font-size: 13px; table-layout: fixed; }
.aa-queues th:first-child { width: 46%; }
.aa-clip { overflow: hidden; text-overflow: ellipsis; }
.aa-feed { display: flex; gap: 12px; align-items: center; }
.aa-feed-text { font-size: 18px; font-weight: 600; color: #e5e7eb; }
.aa-dot { display: inline-block; width: 18px; height: 18px; border-radius: 50%; flex: none; }
.aa-dot-small { width: 8px; height: 8px; margin-right: 4px; }
.aa-stream { margin-right: 12px; white-space: nowrap; }
.aa-feed-live { background: #22c55e; box-shadow: 0 0 8px #22c55e; }
.aa-feed-sync { background: #3b82f6; }
.aa-feed-stale { background: #f59e0b; }
.aa-feed-down { background: #ef4444; }
.aa-alerts .aa-pill { min-width: 0; margin-left: 6px; }
.aa-alerts-raised { background: #b91c1c; }
.aa-alerts-none { background: #334155; color: #cbd5e1; }
.aa-alert-line { color: #fca5a5; margin-top: 2px; }
`;
