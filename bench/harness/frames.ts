// The pre-encoded frames of every bench case, built once in the sender from the simulator's model
// (realistic records and the producers' own measure names), so the per-frame cost of the sender is a
// socket write. Each case is an array of Buffers that the sender cycles through. The cycled cases
// come in two laps that differ in one measure (`benchLap`, or the agent state for small deltas): a
// state node emits only on change, so every frame must change its entity, however often it is sent.
import type { Entity, TrafficModel } from '../../simulator/model/contract';
import { STAMP_FIELD } from './probe';

export type Encoding = 'object' | 'mixed';

export interface FrameSet {
  frames: Buffer[];
  /** Sent once after the frames (pumpupComplete markers); not counted as rows. */
  trailer: Buffer[];
  /** Mean frame size in bytes. */
  meanBytes: number;
}

const AGENT = 'Agent_SoD_3.5';
const LAPS = [0, 1];
const STATES = ['READY', 'NOT_READY', 'BUSY', 'READY', 'AFTER_CONTACT_WORK'];
const T0 = 1_496_919_128_431;

function pad20(ms: number): string {
  return String(ms).padStart(20, '0');
}

/** Steady frames and, per frame, the byte offset of the stamp the sender overwrites just before each write. */
export interface StampedFrames {
  frames: Buffer[];
  stampOffsets: number[];
}

/** Adds the i-th steady frame of an agent: a state change with a 16-digit `benchSentUs` placeholder. */
function addStamped(out: StampedFrames, dimension: object, i: number): void {
  const head =
    '{"dimension":' +
    JSON.stringify(dimension) +
    ',"realtimeData":{"agentState":"' +
    STATES[i % STATES.length] +
    '","lastStateChangeTimestamp":"' +
    pad20(T0 + i) +
    '","' +
    STAMP_FIELD +
    '":';
  out.frames.push(Buffer.from(head + '1000000000000000},"pumpup":false,"pumpupComplete":false,"heartbeat":false}'));
  out.stampOffsets.push(Buffer.byteLength(head));
}

/** The producers the bench streams: every producer of the model but the admin one (which has no stream). */
export function streamingProducers(model: TrafficModel): string[] {
  return model
    .producers()
    .map((p) => p.header.producerId)
    .filter((id) => id !== 'Admin_Admin_3.5');
}

export class FrameFactory {
  private n = 0;

  constructor(
    private readonly model: TrafficModel,
    private readonly username: string,
    private readonly encoding: Encoding,
  ) {}

  /** notes.md: dimension/realtimeData arrive as objects or as JSON strings, mixed in one feed. */
  private value(v: object): string {
    const json = JSON.stringify(v);
    return this.encoding === 'mixed' && this.n++ % 3 === 1 ? JSON.stringify(json) : json;
  }

  private long(producerId: string, dimension: object, measures: object, pumpupIdentifier: string | null): Buffer {
    return Buffer.from(
      '{"dimension":' +
        this.value(dimension) +
        ',"realtimeData":' +
        this.value(measures) +
        ',"pumpupIdentifier":' +
        JSON.stringify(pumpupIdentifier) +
        ',"pumpup":' +
        (pumpupIdentifier !== null) +
        ',"pumpupComplete":false,"heartbeat":false,"extra":null,"sourceId":' +
        JSON.stringify(this.model.sourceId) +
        ',"producerId":' +
        JSON.stringify(producerId) +
        ',"eventAction":"UPSERT"}',
    );
  }

  marker(producerId: string, pumpupIdentifier: string): Buffer {
    return Buffer.from(
      '{"dimension":{},"realtimeData":{},"pumpupIdentifier":' +
        JSON.stringify(pumpupIdentifier) +
        ',"pumpup":true,"pumpupComplete":true,"heartbeat":false,"extra":null,"sourceId":' +
        JSON.stringify(this.model.sourceId) +
        ',"producerId":' +
        JSON.stringify(producerId) +
        ',"eventAction":"UPSERT"}',
    );
  }

  private agents(count: number): Entity[] {
    return this.model.entities(AGENT, this.username).slice(0, count);
  }

  /**
   * ~150 B short-envelope agent deltas (a state change; the count as a numeric string, as seen on the wire), one per
   * agent.
   */
  small(agents: number): FrameSet {
    const list = this.agents(agents);
    const frames = LAPS.flatMap((lap) =>
      list.map((a, i) =>
        Buffer.from(
          '{"dimension":' +
            this.value(a.dimension) +
            ',"realtimeData":' +
            this.value({ agentState: lap === 0 ? 'READY' : 'NOT_READY', activeWorkCount: String(i % 3) }) +
            ',"pumpup":false,"pumpupComplete":false,"heartbeat":false}',
        ),
      ),
    );
    return set(frames, []);
  }

  /** The steady case's frame with a 16-digit `benchSentUs` the sender overwrites just before each write. */
  stampedSmall(agents: number): StampedFrames {
    const stamped: StampedFrames = { frames: [], stampOffsets: [] };
    this.agents(agents).forEach((a, i) => addStamped(stamped, a.dimension, i));
    return stamped;
  }

  /** ~2 KB: an agent's full record (every Agent measure), long envelope. */
  rows(agents: number): FrameSet {
    const list = this.agents(agents);
    return set(
      LAPS.flatMap((benchLap) => list.map((a) => this.long(AGENT, a.dimension, { ...a.realtimeData, benchLap }, null))),
      [],
    );
  }

  /** ~32 KB: an agent record padded with counters (no real producer sends rows this wide; it tests the byte path). */
  large(agents: number, bytes = 32 * 1024): FrameSet {
    const list = this.agents(agents);
    const frames = LAPS.flatMap((benchLap) =>
      list.map((a, i) => {
        const measures: Record<string, unknown> = { ...a.realtimeData, benchLap };
        let size = JSON.stringify(measures).length;
        for (let k = 0; size < bytes - 400; k++) {
          const name = 'counter' + k;
          const value = (i * 7919 + k * 104729) % 100000;
          measures[name] = value;
          size += name.length + String(value).length + 4;
        }
        return this.long(AGENT, a.dimension, measures, null);
      }),
    );
    return set(frames, []);
  }

  /**
   * A start-of-day pumpup of `rows` rows over every streaming producer, interleaved as a server that
   * serves several pumpups at once would, then one pumpupComplete marker per producer. Two laps of
   * `rows` rows: the sender sends one per run.
   */
  pumpup(producerIds: string[], rows: number): FrameSet {
    const stamp = Date.now();
    const lists = producerIds.map((p) => ({
      p,
      id: `${this.username}@bench_2_${p}_${stamp}`,
      rows: this.model.entities(p, this.username),
    }));
    const frames: Buffer[] = [];
    for (const lap of LAPS) {
      const benchLap = 2 + lap; // not a value the agent rows of the other cases left in a view
      const end = frames.length + rows;
      for (let i = 0; frames.length < end; i++) {
        let any = false;
        for (const l of lists) {
          const e = l.rows[i];
          if (e === undefined || frames.length >= end) continue;
          any = true;
          frames.push(this.long(l.p, e.dimension, { ...e.realtimeData, benchLap }, l.id));
        }
        if (!any) throw new Error(`the model has fewer than ${rows} rows: raise pumpupAgents in bench/run.ts`);
      }
    }
    return set(
      frames,
      lists.map((l) => this.marker(l.p, l.id)),
    );
  }

  /**
   * The scale case: `count` distinct agents (`scale<i>`, every Agent measure of a model agent) as one
   * unrequested pumpup of Agent_SoD_3.5 with its marker, and the steady frames over the same agents.
   */
  scale(count: number): { pumpup: FrameSet; stamped: StampedFrames } {
    const id = `${this.username}@bench_2_${AGENT}_scale${count}_${Date.now()}`;
    const list = this.model.entities(AGENT, this.username);
    const frames: Buffer[] = [];
    const stamped: StampedFrames = { frames: [], stampOffsets: [] };
    for (let i = 0; i < count; i++) {
      const dimension = { agentId: `scale${i}` };
      frames.push(this.long(AGENT, dimension, list[i % list.length]!.realtimeData, id));
      addStamped(stamped, dimension, i);
    }
    return { pumpup: set(frames, [this.marker(AGENT, id)]), stamped };
  }

  /** `agents` agent rows cut to `measures` measures, as a pumpup of Agent_SoD_3.5 (the memory case). */
  memory(agents: number, measures: number): FrameSet {
    const id = `${this.username}@bench_2_${AGENT}_${Date.now()}`;
    const frames = this.agents(agents).map((a) => {
      const m = Object.create(null) as Record<string, unknown>;
      const names = Object.keys(a.realtimeData);
      for (let k = 0; k < measures; k++)
        m[names[k] ?? 'counter' + k] = names[k] !== undefined ? a.realtimeData[names[k]!] : k * 13;
      return this.long(AGENT, a.dimension, m, id);
    });
    if (frames.length < agents) throw new Error(`the model has only ${frames.length} agents`);
    return set(frames, [this.marker(AGENT, id)]);
  }
}

function set(frames: Buffer[], trailer: Buffer[]): FrameSet {
  let bytes = 0;
  for (const f of frames) bytes += f.length;
  return { frames, trailer, meanBytes: frames.length ? Math.round(bytes / frames.length) : 0 };
}
