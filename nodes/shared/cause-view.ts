// What a node using a server shows about faults: the cause of the connection's current trouble, and
// bad or dropped input counted in the last minute. Fed by the hub's events; read by status builders.
import type { FaultCause, StateEvent } from '../../lib/api';
import type { ServerNode } from '../avaya-analytics-server/server-node';

/** How long a report of bad input keeps showing on the status after the last one. */
export const INPUT_VISIBLE_MS = 60_000;

/** States in which the connection's cause is shown (the connection is down or refused). */
const TROUBLE: ReadonlySet<string> = new Set(['disconnected', 'auth-failed', 'idle']);

export class CauseView {
  private connection: FaultCause | null = null;
  private input: FaultCause | null = null;
  private inputAt = 0;

  constructor(
    private readonly server: ServerNode,
    private readonly now: () => number = Date.now,
  ) {}

  onState(event: StateEvent): void {
    if (TROUBLE.has(event.state)) this.connection = event.cause ?? this.connection;
    else this.connection = null;
  }

  onInput(cause: FaultCause): void {
    this.input = cause;
    this.inputAt = this.now();
  }

  /** The translated short cause of the connection's trouble, or null when it is not in trouble. */
  connectionText(): string | null {
    return this.connection ? this.server.causeText(this.connection) : null;
  }

  /** "bad frames: 25" while bad input was reported in the last minute, else null. */
  inputText(): string | null {
    return this.input && this.now() - this.inputAt < INPUT_VISIBLE_MS ? this.server.causeText(this.input) : null;
  }

  text(cause: FaultCause | null): string | null {
    return cause ? this.server.causeText(cause) : null;
  }
}
