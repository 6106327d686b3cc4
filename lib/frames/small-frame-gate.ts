// Whether a feed's small frames (under MIN_TEMPLATE_BYTES) are worth reading with templates (frame-template.ts).
//
// A template reads a small frame in about half the time of its UTF-8 decoding, exactness pre-scan and JSON.parse, but
// only when the feed repeats the frame's layout. Deltas carry the measures that changed: an agent's state change has
// the same few measures every time, while the simulator's mixed stream repeats a layout so seldom that templates read
// 9–19 % of its frames, and the misses made its decode 1.7–2.3× slower (bench/README.md, fourteenth round).
//
// So the feed decides. Templates try the small frames of a window of WINDOW frames, and go on while they read at
// least half of them. Else small frames are parsed the usual way for a pause, which doubles at every window that did
// not pay (up to LAST_PAUSE frames) and is back to FIRST_PAUSE once one did: a feed whose small layouts never repeat
// pays for the misses of one window in ever more frames.

/** Small frames per window of trials. */
export const WINDOW = 256;
/** Small frames parsed the usual way after the first window that did not pay, then twice as many at each. */
export const FIRST_PAUSE = 4096;
export const LAST_PAUSE = 1 << 20;

export class SmallFrameGate {
  /** Small frames let in during this window, and of those, frames a template read. */
  private tried = 0;
  private read = 0;
  /** Small frames still to be parsed the usual way, and the next pause. */
  private pause = 0;
  private nextPause = FIRST_PAUSE;

  /** @param onReopen called when a pause ends (the next small frame opens a window) */
  constructor(private readonly onReopen: () => void = () => {}) {}

  /** A small frame arrives: true when templates are to try it (then call hit() if one read it). */
  admit(): boolean {
    if (this.pause > 0) {
      if (--this.pause === 0) this.onReopen();
      return false;
    }
    if (this.tried === WINDOW) {
      const paid = 2 * this.read >= WINDOW;
      this.tried = 0;
      this.read = 0;
      if (!paid) {
        this.pause = this.nextPause - 1; // this frame is the pause's first
        this.nextPause = Math.min(2 * this.nextPause, LAST_PAUSE);
        return false;
      }
      this.nextPause = FIRST_PAUSE;
    }
    this.tried++;
    return true;
  }

  /** A template read the small frame admit() let in. */
  hit(): void {
    this.read++;
  }
}
