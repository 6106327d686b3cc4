// IPC messages between the orchestrator (run.ts), the frame sender and the receivers.

export type CaseName = 'small' | 'rows' | 'large' | 'pumpup' | 'memory';

export interface SenderOptions {
  /** Agents of the model behind the pumpup (enough for its rows over every producer). */
  pumpupAgents: number;
  pumpupRows: number;
  /** Agents of the throughput cases (distinct entities cycled through). */
  agents: number;
  memoryAgents: number;
  memoryMeasures: number;
  encoding: 'object' | 'mixed';
}

export type ToSender =
  | { op: 'status' }
  | { op: 'blast'; name: CaseName; count: number }
  | { op: 'steady'; rate: number; seconds: number }
  /** While on, a subscriptionRedirect gets no empty pumpup: the next blast's rows and markers answer it. */
  | { op: 'hold-markers'; on: boolean }
  | { op: 'exit' };

export interface BlastResult {
  op: 'blasted';
  firstUs: number;
  lastUs: number;
  frames: number;
  bytes: number;
  meanBytes: number;
  /** Sender CPU time during the run, µs. */
  cpuUs: number;
  /** Times the sender found the socket above its high-water mark and waited for it to drain. */
  drainWaits: number;
}

export type FromSender =
  | {
      op: 'ready';
      restUrl: string;
      username: string;
      password: string;
      producers: string[];
      sizes: Record<string, number>;
    }
  | { op: 'status'; streams: number; sockets: number; clientHeartbeats: number; redirects: number }
  | BlastResult
  | { op: 'steadied'; frames: number; firstUs: number; lastUs: number; cpuUs: number };

export type ContenderKind = 'limit' | 'floor' | 'ours' | 'diy';

export interface ReceiverOptions {
  kind: ContenderKind;
  restUrl: string;
  username: string;
  password: string;
  producers: string[];
  maxEntities: number;
}

export type ToReceiver =
  | { op: 'arm'; target: number; latency: boolean }
  | { op: 'heap' }
  | { op: 'count' }
  /** ours: every subscribe node asks for a pumpup (msg.action "pumpup"), as after a reconnect. */
  | { op: 'request-pumpups' }
  | { op: 'exit' };

export type FromReceiver =
  | { op: 'ready' }
  | { op: 'armed' }
  | {
      op: 'done';
      lastUs: number;
      /** Receiver CPU from arm to done, µs. */
      cpuUs: number;
      wallUs: number;
      heapUsed: number;
      p50Us: number;
      p99Us: number;
      maxUs: number;
    }
  | { op: 'heap'; heapUsed: number }
  | { op: 'count'; count: number }
  | { op: 'error'; message: string };
