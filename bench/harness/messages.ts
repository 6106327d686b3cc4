// IPC messages between the orchestrator (run.ts), the frame sender and the receivers.

export type CaseName = 'small' | 'rows' | 'large' | 'pumpup' | 'memory' | 'scale';

export interface SenderOptions {
  /** Agents of the model behind the pumpup (enough for its rows over every producer). */
  pumpupAgents: number;
  pumpupRows: number;
  /** Agents of the throughput cases (distinct entities cycled through). */
  agents: number;
  memoryAgents: number;
  memoryMeasures: number;
  encoding: 'object' | 'mixed';
  /** The sender's nice value (os.setPriority): 19 lets the contender win every contended core; 0 leaves it equal. */
  nice: number;
}

export type ToSender =
  | { op: 'status' }
  | { op: 'blast'; name: CaseName; count: number }
  /**
   * `scale` true: the steady frames of the scale case's entities (set by op 'scale'). `kinds`: to each of these
   * contenders' sockets at once, each at `rate` (the steady case side by side, run.ts); else to the target's.
   */
  | { op: 'steady'; rate: number; seconds: number; scale?: boolean; kinds?: ContenderKind[] }
  /** Builds the scale case's frames for `entities` agents (blast 'scale' sends their pumpup). */
  | { op: 'scale'; entities: number }
  /** While on, a subscriptionRedirect gets no empty pumpup: the next blast's rows and markers answer it. */
  | { op: 'hold-markers'; on: boolean }
  /** The socket of the latest subscriptionRedirect (the contender just started) is `kind`'s. */
  | { op: 'tag'; kind: ContenderKind }
  /** The next ops' frames go to `kind`'s socket: contenders alive side by side take turns (run.ts, round). */
  | { op: 'target'; kind: ContenderKind }
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
  | { op: 'steadied'; frames: number; firstUs: number; lastUs: number; cpuUs: number }
  | { op: 'scaled'; entities: number; meanBytes: number };

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
  /** `segments` > 1: also the CPU of each of that many equal parts of the window (the spread of a steady run). */
  | { op: 'arm'; target: number; latency: boolean; segments?: number }
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
      /** JS heap + ArrayBuffer bytes (receiver.ts heldBytes). */
      heapUsed: number;
      p50Us: number;
      p99Us: number;
      maxUs: number;
      /** CPU % of one core in each segment of the window (when armed with segments). */
      segmentCpuPct: number[];
    }
  | { op: 'heap'; heapUsed: number }
  | { op: 'count'; count: number }
  | { op: 'error'; message: string };
