// The offset between the producer's clock (Avaya's timestamps) and Node-RED's: the median age on
// arrival of the last live state changes. A live delta carrying lastStateChangeTimestamp is sent when
// the state changes, so arrival − timestamp = clock offset + transit time (milliseconds). The median
// of a few samples ignores a delta that sat in a queue; samples over a day off are not clock skew and
// are ignored. Until the first sample the offset is 0 (timestamps are then only capped at "now").

const SAMPLES = 15;
const MAX_OFFSET_MS = 86_400_000;

export class SkewEstimate {
  private readonly samples: number[] = [];
  private next = 0;
  private current = 0;

  /** The offset to add to a producer timestamp to get Node-RED's time (ms). */
  get offset(): number {
    return this.current;
  }

  get count(): number {
    return this.samples.length;
  }

  sample(ageMs: number): void {
    if (!Number.isFinite(ageMs) || Math.abs(ageMs) > MAX_OFFSET_MS) return;
    if (this.samples.length < SAMPLES) this.samples.push(ageMs);
    else this.samples[this.next] = ageMs;
    this.next = (this.next + 1) % SAMPLES;
    const sorted = [...this.samples].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const upper = sorted[mid] ?? 0; // at least one sample: ageMs was just added
    this.current = sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? upper) + upper) / 2;
  }
}
