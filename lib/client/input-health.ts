// Counts what the wire sent that could not be used (malformed frames, by reason) or was cut out by the
// decoding rules (hostile keys, nested values, long strings), and makes it visible without flooding:
//  - report(cause) at most once a second, for statuses ('input' event of the client);
//  - one warn line at most once a minute, summing up everything since the previous line (the first
//    problem is logged at once).
// Nothing is silently swallowed, and a server sending 10,000 bad frames a second costs one log line
// a minute.
import type { FaultCause, Logger } from '../api';
import type { Clock, TimerHandle } from '../clock';
import { realClock } from '../clock';
import type { DroppedInput } from '../frames/decode';
import { makeCause } from './cause';

export const INPUT_LOG_INTERVAL_MS = 60_000;
export const INPUT_REPORT_INTERVAL_MS = 1_000;

export interface InputCounts {
  malformedFrames: number;
  hostileKeysDropped: number;
  nestedValuesDropped: number;
  longStringsDropped: number;
}

export class InputHealth {
  readonly counts: InputCounts = {
    malformedFrames: 0,
    hostileKeysDropped: 0,
    nestedValuesDropped: 0,
    longStringsDropped: 0,
  };
  /** Since the last log line: reason or kind → count, and the last sample. */
  private unlogged = new Map<string, number>();
  private lastSample = '';
  private lastLogAt = -Infinity;
  private lastReportAt = -Infinity;
  private logTimer: TimerHandle | null = null;
  private reportTimer: TimerHandle | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly redact: (text: string) => string,
    private readonly report: (cause: FaultCause) => void,
    private readonly clock: Clock = realClock,
  ) {}

  malformed(reason: string, sample: string): void {
    this.counts.malformedFrames++;
    this.note(`malformed frame (${reason})`, 1, sample);
  }

  dropped(d: DroppedInput): void {
    const names = d.names.join(', ');
    if (d.hostileKeys) {
      this.counts.hostileKeysDropped += d.hostileKeys;
      this.note('hostile key dropped', d.hostileKeys, names);
    }
    if (d.nestedValues) {
      this.counts.nestedValuesDropped += d.nestedValues;
      this.note('object/array measure dropped', d.nestedValues, names);
    }
    if (d.longStrings) {
      this.counts.longStringsDropped += d.longStrings;
      this.note('over-long string dropped', d.longStrings, names);
    }
  }

  /** The cause a status shows: bad frames outrank dropped values (a whole frame was lost). */
  cause(): FaultCause | null {
    const c = this.counts;
    const dropped = c.hostileKeysDropped + c.nestedValuesDropped + c.longStringsDropped;
    if (c.malformedFrames > 0) return makeCause('bad-frames', this.summary(this.totals()), c.malformedFrames);
    if (dropped > 0) return makeCause('dropped-input', this.summary(this.totals()), dropped);
    return null;
  }

  dispose(): void {
    if (this.logTimer) this.clock.clearTimeout(this.logTimer);
    if (this.reportTimer) this.clock.clearTimeout(this.reportTimer);
    this.logTimer = this.reportTimer = null;
  }

  private note(what: string, n: number, sample: string): void {
    this.unlogged.set(what, (this.unlogged.get(what) ?? 0) + n);
    this.lastSample = sample;
    this.schedule('log');
    this.schedule('report');
  }

  private schedule(which: 'log' | 'report'): void {
    const isLog = which === 'log';
    if (isLog ? this.logTimer : this.reportTimer) return;
    const wait =
      (isLog ? this.lastLogAt + INPUT_LOG_INTERVAL_MS : this.lastReportAt + INPUT_REPORT_INTERVAL_MS) -
      this.clock.now();
    const run = isLog ? this.flushLog : this.flushReport;
    if (wait <= 0) {
      run();
      return;
    }
    const timer = this.clock.setTimeout(run, wait);
    timer.unref?.();
    if (isLog) this.logTimer = timer;
    else this.reportTimer = timer;
  }

  private readonly flushLog = (): void => {
    this.logTimer = null;
    if (this.unlogged.size === 0) return;
    this.lastLogAt = this.clock.now();
    const text = this.summary(this.unlogged);
    this.unlogged = new Map();
    const sample = this.lastSample ? `; last: ${this.lastSample.slice(0, 120)}` : '';
    this.logger.warn(
      this.redact(`bad input from the server: ${text}${sample} (logged at most once a minute; totals in the stats)`),
    );
  };

  private readonly flushReport = (): void => {
    this.reportTimer = null;
    this.lastReportAt = this.clock.now();
    const cause = this.cause();
    if (cause) this.report(cause);
  };

  private totals(): Map<string, number> {
    const c = this.counts;
    return new Map([
      ['malformed frames', c.malformedFrames],
      ['hostile keys dropped', c.hostileKeysDropped],
      ['object/array measures dropped', c.nestedValuesDropped],
      ['over-long strings dropped', c.longStringsDropped],
    ]);
  }

  private summary(counts: Map<string, number>): string {
    return [...counts]
      .filter(([, n]) => n > 0)
      .map(([what, n]) => `${n} × ${what}`)
      .join(', ');
  }
}
