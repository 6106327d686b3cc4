// Pumpups: the current full record of every entity a user may see, then the pumpupComplete marker,
// sent in chunks that wait while the socket is backed up, so a large pumpup neither blocks the
// event loop nor piles up in memory. Live deltas produced meanwhile wait in the stream's backlog.
import type { TrafficModel } from '../model/contract';
import { streamName, type FrameEncoder } from './frames';
import type { Stream } from './session';

/** Pumpup rows sent per turn of the event loop before checking the socket's buffer. */
const PUMPUP_CHUNK = 256;

export class Pumpups {
  private readonly counters = new Map<string, number>();

  constructor(
    private readonly model: TrafficModel,
    private readonly encoder: FrameEncoder,
    /** Whether the stream still streams on an open socket (it may be detached while a pumpup waits). */
    private readonly isAttached: (stream: Stream) => boolean,
    private readonly log: (line: string) => void,
  ) {}

  /** Starts a pumpup, or schedules another one right after the one that is running. */
  start(stream: Stream): void {
    if (stream.pumping) {
      stream.pumpupAgain = true;
      return;
    }
    stream.pumping = true;
    this.run(stream).catch((error: unknown) => {
      this.log(`pumpup failed: ${(error as Error).message}`);
      stream.session.fail('internal error during pumpup', 1011);
    });
  }

  /**
   * Rows of the current records, then the marker, then the deltas that arrived meanwhile (deltas
   * carry absolute values, so replaying them after the snapshot ends in the current state).
   */
  private async run(stream: Stream): Promise<void> {
    const { producerId, username } = stream.subscription;
    const session = stream.session;
    do {
      stream.pumpupAgain = false;
      const identifier = this.identifier(username, producerId);
      const rows = this.model.entities(producerId, username).slice();
      for (let i = 0; i < rows.length; i++) {
        session.send(this.encoder.pumpupRow(producerId, rows[i]!, identifier));
        if ((i + 1) % PUMPUP_CHUNK === 0) {
          await session.writable();
          if (!this.isAttached(stream)) return;
        }
      }
      session.send(this.encoder.pumpupComplete(producerId, identifier));
      const backlog = stream.backlog;
      stream.backlog = [];
      for (const frame of backlog) session.send(frame);
    } while (stream.pumpupAgain && this.isAttached(stream));
    stream.pumping = false;
  }

  /** e.g. user@domain_2_ROUTINGPOINTMEASURES_1613054564915 (the guide's sample). */
  private identifier(username: string, producerId: string): string {
    const count = (this.counters.get(username) ?? 0) + 1;
    this.counters.set(username, count);
    return `${username}_${count}_${streamName(producerId)}_${Date.now()}`;
  }
}
