// The order of a producer's last pumpup, so that the next pumpup finds each row's entity without the view's Map.
//
// A server sends its snapshot in an order of its own, the same at every pumpup while its entities stay. Found in
// the Map, a pumpup row's entity costs the hash of the row's fresh key and two or three cache misses in a table of
// 100,000 entries: ~0.25 µs warm, ~0.5 µs with the caches a pumpup leaves (bench/README.md, the twentieth round),
// 43 % of `apply`'s own time in a pumpup's profile. Guessed at the next place of the last pumpup's order, it is one
// comparison of the key with the guess's (~0.05 µs). A wrong guess (the order changed, entities came or went) costs
// that comparison before the Map, and the order learns the new one.
//
// Only pumpup rows use it: deltas come in no order. A place holds a live entity of the view or nothing: an entity
// that leaves the view empties its place (forget), so the order keeps no removed entity (and its last values) alive.

/** What the order needs of an entity: its key, whether it is live (row ≥ 0), and where it was last placed. */
export interface Placed {
  readonly key: string;
  readonly row: number;
  /** Its place in the order, -1 for none. */
  orderAt: number;
}

export class PumpupOrder<E extends Placed> {
  /** A JS private field: JSON.stringify of an entity (whose view holds this) meets no circle through it. */
  #places: (E | null)[] = [];
  /** The place of the next pumpup row. */
  private next = 0;
  /** The resync cycle (ProducerView.cycle) whose rows are being placed: another one starts from the first place. */
  private cycle = 0;

  /** The entity at the next place when it is live and has this key (the row's entity), else undefined. */
  guess(key: string, cycle: number): E | undefined {
    if (cycle !== this.cycle) this.restart(cycle);
    const e = this.#places[this.next];
    return e !== undefined && e !== null && e.row >= 0 && e.key === key ? e : undefined;
  }

  /** The entity of the pumpup row just applied takes the next place (it mostly has it already). */
  took(entity: E): void {
    const at = this.next++;
    if (this.#places[at] === entity) return;
    this.#places[at] = entity;
    entity.orderAt = at;
  }

  /** The entity left the view: its place is emptied. */
  forget(entity: E): void {
    const at = entity.orderAt;
    if (at >= 0 && this.#places[at] === entity) this.#places[at] = null;
    entity.orderAt = -1;
  }

  /** A new pumpup: the last one's rows are the order (places past them were an older pumpup's). */
  private restart(cycle: number): void {
    if (this.next < this.#places.length) this.#places.length = this.next;
    this.next = 0;
    this.cycle = cycle;
  }
}
