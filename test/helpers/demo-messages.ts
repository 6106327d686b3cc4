// The msgs the demo flow's Function nodes (scripts/demo-functions.ts) send to the wallboard's widgets, as the
// tests read them: from running a body directly (test/start/demo-functions.test.ts) or from the dashboard's
// socket (test/start/start.test.ts). The bodies are JavaScript strings, so nothing checks these types: a test
// casts a result once and its assertions do the checking.

/** A row of the agents table. */
export interface AgentRow {
  id: string;
  name: string;
  state: string;
  /** The work state of a READY agent, else ''. */
  work: string;
  /** The not-ready reason (name, else code) of a pausing agent, else ''. */
  reason: string;
  inStateMs: number | null;
}

/** agentBoardFunction, output 1: the agents table with the count per state. */
export interface AgentTableMsg {
  topic: string;
  payload: AgentRow[];
  counts: Record<string, number>;
  synced: boolean;
  at: number;
}

/** One point per series of the agents-by-state chart. */
export interface ChartPoint {
  series: string;
  count: number;
}

/** agentBoardFunction, output 2 (null between points). */
export interface ChartMsg {
  topic: string;
  payload: ChartPoint[];
}

/** A row of the queues table. */
export interface QueueRow {
  name: string;
  channel: string;
  waiting: number;
  oldestMs: number | null;
  thresholdS: number;
  ready: number;
  loggedIn: number;
  serviceLevel: number | null;
}

/** queueBoardFunction: the queues table. */
export interface QueueTableMsg {
  topic: string;
  payload: QueueRow[];
  synced: boolean;
  at: number;
}

/** A stream of the feed-health indicator: its level, since when, and why. */
export interface FeedStream {
  producer: string;
  level: string;
  text: string;
  reason: string;
  since: number;
}

/** feedHealthFunction (null before the first control event): the worst stream, and every stream. */
export interface FeedMsg {
  topic: string;
  payload: Omit<FeedStream, 'producer'> & { streams: FeedStream[] };
  at: number;
}

/** alertBoardFunction: the raised alerts, oldest first. */
export interface AlertBoardMsg {
  payload: { count: number; alerts: Array<{ id: string; text: string; since: number }> };
  at: number;
}
