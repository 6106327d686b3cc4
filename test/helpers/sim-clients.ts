// Starts the real simulator (HTTPS/WSS on 127.0.0.1 with its own CA) and clients against it, with short
// heartbeats and backoff so the suite stays fast. Everything started here is closed by closeAll().
import { createClient } from '../../lib/client/client';
import type { ClientOptions } from '../../lib/index';
import type { OpenInterfaceClient } from '../../lib/client/client';
import type { ExtraClientOptions } from '../../lib/options';
import { startSimulator } from '../../simulator/index';
import type { RunningSimulator, SimulatorOptions } from '../../simulator/index';

export const HEARTBEAT_MS = 100;

export class Lab {
  sim!: RunningSimulator;
  private readonly clients: OpenInterfaceClient[] = [];

  async start(options: SimulatorOptions = {}): Promise<RunningSimulator> {
    this.sim = await startSimulator({ seed: 7, agents: 30, rate: 20, heartbeatIntervalMs: HEARTBEAT_MS, ...options });
    return this.sim;
  }

  client(extra: Partial<ClientOptions> & ExtraClientOptions = {}): OpenInterfaceClient {
    const c = createClient({
      url: this.sim.restUrl,
      username: 'supervisor1',
      password: 'password1',
      tls: { ca: this.sim.caPem },
      requestSpacingMs: 10,
      heartbeatIntervalMs: HEARTBEAT_MS,
      missedHeartbeats: 5,
      backoff: { floorMs: 20, capMs: 300, stableMs: 60_000 },
      ...extra,
    });
    this.clients.push(c);
    return c;
  }

  async closeAll(): Promise<void> {
    for (const c of this.clients.splice(0)) await c.close();
    if (this.sim) await this.sim.close();
  }
}
