// The flow `npm start` deploys into a fresh user dir: the simulator's agents and routing services,
// accumulated by two state nodes and shown on a Dashboard 2 wallboard, plus one line per agent state
// change in the debug sidebar. The server node reads the simulator's URL and CA path from the
// environment (${AVAYA_DEMO_URL}, ${AVAYA_DEMO_CA}), so a later start on other ports still works.
// Credentials travel in the deploy request only and end up encrypted in flows_cred.json.
import { serverFlowNode, stateFlowNode, subscribeFlowNode, tlsFlowNode } from './config-nodes';
import { dashboardConfigNodes, dashboardWidgets, DASHBOARD_IDS, type FlowNode } from './demo-dashboard';
import {
  agentBoardFunction,
  alertBoardFunction,
  feedHealthFunction,
  queueBoardFunction,
  TICK_SECONDS,
} from './demo-functions';

export type { FlowNode };

/** Environment variables the demo's config nodes read; scripts/start.ts sets them for Node-RED. */
export const DEMO_ENV = {
  url: 'AVAYA_DEMO_URL',
  ca: 'AVAYA_DEMO_CA',
  notReadyLimit: 'AVAYA_DEMO_NOT_READY_LIMIT',
} as const;
/** How long an agent may stay NOT_READY before the wallboard's alert (${DEMO_ENV.notReadyLimit} overrides it). */
export const DEMO_NOT_READY_LIMIT = '10m';

export interface DemoCredentials {
  username: string;
  password: string;
}

export const AGENT_PRODUCER = 'Agent_SoD_3.5';
export const SERVICE_PRODUCER = 'RoutingService_SoD_3.5';

const tab = 'aa-demo-tab';
export const DEMO_IDS = {
  tab,
  tls: 'aa-demo-tls',
  server: 'aa-demo-server',
  agents: 'aa-demo-sub-agents',
  agentState: 'aa-demo-state-agents',
  agentSwitch: 'aa-demo-switch-agents',
  agentBoard: 'aa-demo-fn-agent-board',
  agentLine: 'aa-demo-fn-agent-line',
  agentDebug: 'aa-demo-debug-agents',
  services: 'aa-demo-sub-services',
  serviceState: 'aa-demo-state-services',
  queueBoard: 'aa-demo-fn-queue-board',
  feedHealth: 'aa-demo-fn-feed-health',
  alert: 'aa-demo-alert',
  alertBoard: 'aa-demo-fn-alert-board',
  tick: 'aa-demo-inject-tick',
  ...DASHBOARD_IDS,
} as const;

/** One line per agent state change, e.g. "Siobhan Collins: NOT_READY (Lunch)". */
const agentLineFunction = `const r = msg.payload;
if (!Array.isArray(msg.changed) || !msg.changed.includes('agentState')) return null;
const reason = r.agentState === 'NOT_READY' && r.nrReasonCodeName ? ' (' + r.nrReasonCodeName + ')' : '';
msg.payload = (r.agentDisplayName || r.agentId) + ': ' + r.agentState + reason;
return msg;`;

const COMMENT = `Live data from the Open Interface simulator that \`npm start\` runs, on the wallboard at /dashboard/wallboard.

- Two **subscribe** nodes stream the Agent and RoutingService producers, each into a **state** node over one wire (data and
  lifecycle events in order), which merges the deltas into one current record per agent and per routing service.
- Every ${TICK_SECONDS} s the inject node asks both state nodes for a \`snapshot\`; Function nodes turn it into the table rows
  and the chart points. The browser gets one small update per widget per tick, however busy the feed.
- The control outputs (the lifecycle events alone: connected, ready, stale, disconnected…) drive the feed-health indicator.
- The agents' state node also sends each change of \`agentState\` to the debug sidebar.
- An **alert** node on the agents' stream raises an alert when an agent stays NOT_READY longer than
  \${AVAYA_DEMO_NOT_READY_LIMIT} (10 minutes unless set); the wallboard lists the raised ones.

The server node reads the simulator's URL and CA from \${AVAYA_DEMO_URL} and \${AVAYA_DEMO_CA} (set by \`npm start\`);
its supervisor and password are in the credential store.`;

function state(
  id: string,
  name: string,
  emit: 'measures' | 'never',
  measures: string,
  x: number,
  y: number,
  wires: string[][],
): FlowNode {
  return stateFlowNode(id, { z: tab, name, emit, measures, x, y, wires });
}

function subscribe(id: string, name: string, producer: string, x: number, y: number, wires: string[][]): FlowNode {
  return subscribeFlowNode(id, { z: tab, name, server: DEMO_IDS.server, producer, x, y, wires });
}

function fn(
  id: string,
  name: string,
  func: string,
  outputs: number,
  x: number,
  y: number,
  wires: string[][],
): FlowNode {
  return {
    id,
    type: 'function',
    z: tab,
    name,
    func,
    outputs,
    timeout: 0,
    noerr: 0,
    initialize: '',
    finalize: '',
    libs: [],
    x,
    y,
    wires,
  };
}

export function demoFlow(credentials: DemoCredentials): FlowNode[] {
  const ids = DEMO_IDS;
  return [
    { id: tab, type: 'tab', label: 'Avaya Analytics demo', disabled: false, info: COMMENT, env: [] },
    {
      id: 'aa-demo-comment',
      type: 'comment',
      z: tab,
      name: 'Wallboard: live agents and queues from the simulator (open me)',
      info: COMMENT,
      x: 250,
      y: 40,
      wires: [],
    },
    tlsFlowNode(ids.tls, { name: 'Simulator CA', ca: `\${${DEMO_ENV.ca}}` }),
    serverFlowNode(ids.server, {
      name: 'Simulator (demo)',
      url: `\${${DEMO_ENV.url}}`,
      tls: ids.tls,
      credentials: { username: credentials.username, password: credentials.password },
    }),
    ...dashboardConfigNodes(),

    subscribe(ids.agents, 'Agents', AGENT_PRODUCER, 140, 120, [[ids.agentState, ids.alert], [ids.feedHealth]]),
    state(ids.agentState, 'Agent states', 'measures', 'agentState', 360, 120, [[ids.agentSwitch]]),
    {
      id: ids.agentSwitch,
      type: 'switch',
      z: tab,
      name: 'snapshot or change?',
      property: 'action',
      propertyType: 'msg',
      rules: [{ t: 'eq', v: 'snapshot', vt: 'str' }, { t: 'else' }],
      checkall: 'false',
      repair: false,
      outputs: 2,
      x: 580,
      y: 120,
      wires: [[ids.agentBoard], [ids.agentLine]],
    },
    fn(ids.agentBoard, 'agent rows + chart point', agentBoardFunction, 2, 820, 100, [[ids.agentsTable], [ids.chart]]),
    fn(ids.agentLine, 'state change line', agentLineFunction, 1, 800, 160, [[ids.agentDebug]]),
    {
      id: ids.agentDebug,
      type: 'debug',
      z: tab,
      name: 'agent state changes',
      active: true,
      tosidebar: true,
      console: false,
      tostatus: false,
      complete: 'payload',
      targetType: 'msg',
      statusVal: '',
      statusType: 'auto',
      x: 1090,
      y: 160,
      wires: [],
    },

    subscribe(ids.services, 'Routing services', SERVICE_PRODUCER, 150, 320, [[ids.serviceState], [ids.feedHealth]]),
    state(ids.serviceState, 'Queue state', 'never', '', 370, 320, [[ids.queueBoard]]),
    fn(ids.queueBoard, 'queue rows', queueBoardFunction, 1, 800, 320, [[ids.queues]]),
    fn(ids.feedHealth, 'feed health', feedHealthFunction, 1, 800, 240, [[ids.feed]]),
    {
      id: ids.alert,
      type: 'avaya-analytics-alert',
      z: tab,
      name: 'NOT_READY too long',
      server: ids.server,
      producer: AGENT_PRODUCER,
      rules: [
        {
          id: 'not-ready',
          name: 'Agent NOT_READY too long',
          kind: 'measure',
          field: 'agentState',
          op: 'eq',
          value: 'NOT_READY',
          duration: `\${${DEMO_ENV.notReadyLimit}}`,
          durationBy: '',
          durations: [],
          repeat: '',
          clearDelay: '10s',
          scopeField: '',
          scopeOp: 'eq',
          scopeValue: '',
        },
      ],
      lang: 'en-US',
      store: '',
      version: 1,
      x: 380,
      y: 200,
      wires: [[ids.alertBoard]],
    },
    fn(ids.alertBoard, 'raised alerts', alertBoardFunction, 1, 800, 280, [[ids.alerts]]),

    {
      id: ids.tick,
      type: 'inject',
      z: tab,
      name: `snapshot every ${TICK_SECONDS} s`,
      props: [{ p: 'action', v: 'snapshot', vt: 'str' }],
      repeat: String(TICK_SECONDS),
      crontab: '',
      once: true,
      onceDelay: '1',
      topic: '',
      x: 160,
      y: 220,
      wires: [[ids.agentState, ids.serviceState, ids.feedHealth, ids.alertBoard]],
    },
    ...dashboardWidgets({
      z: tab,
      x: 1080,
      y: { agents: 80, chart: 120, queues: 320, feed: 240, alerts: 280, style: 400 },
    }),
  ];
}
