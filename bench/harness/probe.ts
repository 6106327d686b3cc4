// The counting end of every contender: the bare ws client calls hit() per parsed frame, the Node-RED
// flows' sink node per msg. It counts, and when a run asks for latency it reads the sender's stamp
// (`benchSentUs`, epoch µs) from the record and keeps frame-written → output latencies.
import { nowUs } from './clock';

export const STAMP_FIELD = 'benchSentUs';

export class Probe {
  count = 0;
  private target = Infinity;
  private onDone: ((lastUs: number) => void) | null = null;
  private latencies: Float64Array | null = null;
  private latencyCount = 0;
  private nextMark = Infinity;
  private markEvery = Infinity;
  private onMark: (() => void) | null = null;

  /** Resets the counter; `done` is called once `target` hits have been counted. */
  arm(
    target: number,
    withLatency: boolean,
    done: (lastUs: number) => void,
    markEvery = Infinity,
    onMark: (() => void) | null = null,
  ): void {
    this.count = 0;
    this.markEvery = markEvery;
    this.nextMark = markEvery;
    this.onMark = onMark;
    this.target = target;
    this.onDone = done;
    this.latencies = withLatency ? new Float64Array(target) : null;
    this.latencyCount = 0;
  }

  /** Hot: one call per message. `record` is the entity's measures (or the whole view record). */
  hit(record: Record<string, unknown> | null | undefined): void {
    if (this.latencies !== null && record != null) {
      const sent = record[STAMP_FIELD];
      if (typeof sent === 'number' && this.latencyCount < this.latencies.length)
        this.latencies[this.latencyCount++] = nowUs() - sent;
    }
    if (++this.count === this.nextMark) {
      this.nextMark += this.markEvery;
      if (this.onMark) this.onMark();
    }
    if (this.count === this.target) {
      const done = this.onDone;
      this.onDone = null;
      this.target = Infinity;
      if (done) done(nowUs());
    }
  }

  /** Latencies of the last run in µs, sorted. */
  sortedLatencies(): Float64Array {
    return this.latencies ? this.latencies.slice(0, this.latencyCount).sort() : new Float64Array(0);
  }
}

/** One per process: the sink node module and the receiver share it. */
export const probe = new Probe();
