// The order of a producer's last pumpup, so that the next pumpup finds each row's entity without the view's Map.
//
// A server sends its snapshot in an order of its own, the same at every pumpup while its entities stay. Found in
// the Map, a pumpup row's entity costs the hash of the row's fresh key and two or three cache misses in a table of
// 100,000 entries: ~0.25 µs warm, ~0.5 µs with the caches a pumpup leaves (bench/README.md, the twentieth round),
// 43 % of `apply`'s own time in a pumpup's profile. Guessed at the next place of the last pumpup's order, it is one
// comparison of the key with the guess's (~0.05 µs).
//
// Two lists: the last pumpup's, read, and this one's, written. A wrong guess (an entity came, went or moved) costs
// that comparison before the Map; the entity found there tells where the reading goes on (after its place in the
// last list), so one entity gone or new costs one lookup, not every one after it. Each list holds an entity at most
// once, and only live ones: an entity that leaves the view empties its places (forget), so no removed entity (and
// its last values) is kept alive. Only pumpup rows use it: deltas come in no order.

/** What the order needs of an entity: its key, whether it is live (row ≥ 0), and where it was placed. */
export interface Placed {
  readonly key: string;
  readonly row: number;
  /** Its place in this pumpup's list once it has one in this cycle, else in the last pumpup's (-1: none). */
  orderAt: number;
}

export class PumpupOrder<E extends Placed> {
  // JS private fields: JSON.stringify of an entity (whose view holds this) meets no circle through them.
  /** The last pumpup's entities, in its rows' order (emptied as this pumpup places them). */
  #last: (E | null)[] = [];
  /** This pumpup's, in its rows' order. */
  #current: (E | null)[] = [];
  /** Where the reading of the last list is. */
  private read = 0;
  /** The resync cycle (ProducerView.cycle) of `current`: another one makes it the last list. */
  private cycle = 0;

  /** @param limit places a list holds at most (the store's maxEntities): rows past it are not placed. */
  constructor(private readonly limit: number) {}

  /** The entity at the reading place of the last list when it is live and has this key (the row's), else undefined. */
  guess(key: string, cycle: number): E | undefined {
    if (cycle !== this.cycle) this.restart(cycle);
    const e = this.#last[this.read];
    return e !== undefined && e !== null && e.row >= 0 && e.key === key ? e : undefined;
  }

  /**
   * The entity of the pumpup row just applied (`first`: its first row of this cycle) takes the next place of this
   * pumpup's list; its place in the last list, if any, moves the reading after it.
   */
  took(entity: E, first: boolean): void {
    if (!first) return; // a second row of the entity in this pumpup: it keeps its place
    const last = this.#last;
    const was = entity.orderAt;
    if (was >= 0 && last[was] === entity) {
      last[was] = null;
      if (was >= this.read) this.read = was + 1;
    }
    const current = this.#current;
    if (current.length >= this.limit) {
      entity.orderAt = -1;
      return;
    }
    entity.orderAt = current.length;
    current.push(entity);
  }

  /** The entity left the view: its place is emptied, in whichever list holds it. */
  forget(entity: E): void {
    const at = entity.orderAt;
    if (at >= 0) {
      if (this.#current[at] === entity) this.#current[at] = null;
      if (this.#last[at] === entity) this.#last[at] = null;
    }
    entity.orderAt = -1;
  }

  /** A new pumpup: this one's list becomes the last, read from its start. */
  private restart(cycle: number): void {
    const emptied = this.#last;
    this.#last = this.#current;
    emptied.length = 0;
    this.#current = emptied;
    this.read = 0;
    this.cycle = cycle;
  }
}
