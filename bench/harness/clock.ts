// Epoch microseconds with sub-millisecond resolution, comparable between the sender and receiver
// processes on one machine (both derive it from the same wall clock at process start).
import { performance } from 'node:perf_hooks';

const ORIGIN_US = performance.timeOrigin * 1000;

export function nowUs(): number {
  return ORIGIN_US + performance.now() * 1000;
}
