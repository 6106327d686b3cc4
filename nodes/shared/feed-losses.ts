// Why a state or alert node's view is not synced, for its status: the lifecycle event that ended a producer's feed
// with its short cause ("disconnected: TLS: untrusted CA"), or a broker collector's health report ("A:
// disconnected: …"). A consumer fed from a broker has no subscribe node whose status would tell it.
import type { FaultCause } from '../../lib/api';

/** Status texts stay short: a longer reason is cut (the full one is in the lifecycle msg and the log). */
const MAX_CHARS = 40;

/** What text() reads of a view (a StateStore). */
export interface SyncView {
  producers(): readonly string[];
  isSynced(producer: string): boolean;
}

export class FeedLosses {
  private readonly why = new Map<string, string>();

  /** A loss event of a producer's feed (msg.payload.cause of a subscribe node's lifecycle msg, when it has one). */
  lost(producer: string, event: string, cause: unknown): void {
    const short = (cause as Partial<FaultCause> | null | undefined)?.short;
    this.why.set(producer, typeof short === 'string' && short !== '' ? `${event}: ${short}` : event);
  }

  /** A broker's health change of a producer: down with its cause, or live. */
  health(producer: string, live: boolean, cause: string): void {
    if (live) this.why.delete(producer);
    else this.why.set(producer, cause);
  }

  /** The reason of the view's first unsynced producer that has one, cut to a status's length; null when none has. */
  text(view: SyncView): string | null {
    for (const producer of view.producers()) {
      if (view.isSynced(producer)) continue;
      const why = this.why.get(producer);
      if (why) return why.length > MAX_CHARS ? `${why.slice(0, MAX_CHARS - 1)}…` : why;
    }
    return null;
  }
}
