// Faults armed through the control API that the HTTP listener consults: refused connections and
// injected 500/503 answers per endpoint.
import type { Counters } from './counters';
import type { FaultEndpoint } from './options';

export class FaultState {
  private refuseUntil = 0;
  private readonly failures = new Map<FaultEndpoint, { status: 500 | 503; remaining: number }>();

  constructor(private readonly counters: Counters) {}

  refuseFor(ms: number): void {
    this.refuseUntil = ms > 0 ? Date.now() + ms : 0;
  }

  /** True (and counted) when a new connection must be destroyed at once. */
  refuseConnection(): boolean {
    if (this.refuseUntil === 0 || Date.now() >= this.refuseUntil) return false;
    this.counters.faults.refusedConnections++;
    return true;
  }

  failNext(endpoint: FaultEndpoint, status: 500 | 503, count: number): void {
    if (count <= 0) this.failures.delete(endpoint);
    else this.failures.set(endpoint, { status, remaining: count });
  }

  /** The status to answer instead of serving this request, if a failure is armed (and consumes it). */
  takeFailure(endpoint: FaultEndpoint): 500 | 503 | undefined {
    const failure = this.failures.get(endpoint);
    if (!failure) return undefined;
    if (--failure.remaining <= 0) this.failures.delete(endpoint);
    this.counters.faults.httpErrors++;
    return failure.status;
  }

  clear(): void {
    this.refuseUntil = 0;
    this.failures.clear();
  }
}
