// Mutable counters behind SimulatorStats (plain fields: incremented on hot paths).
export class Counters {
  framesSent = 0;
  heartbeatsSent = 0;
  heartbeatsReceived = 0;
  deltasGenerated = 0;
  deletesSent = 0;
  logins = 0;
  failedLogins = 0;
  duplicateSubscriptions = 0;
  duplicateSockets = 0;
  readonly loginsByUser = new Map<string, number>();
  readonly faults = { drops: 0, stalls: 0, refusedConnections: 0, httpErrors: 0, revocations: 0, restarts: 0 };

  countLogin(username: string): void {
    this.logins++;
    this.loginsByUser.set(username, (this.loginsByUser.get(username) ?? 0) + 1);
  }

  get faultsInjected(): number {
    const f = this.faults;
    return f.drops + f.stalls + f.refusedConnections + f.httpErrors + f.revocations + f.restarts;
  }
}
