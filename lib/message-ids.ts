// The _msgid of the msgs this package's nodes create: made cheaply (MessageIds) and, for lifecycle
// events that reach a node over two wires, recognized as copies (LifecycleDeduper). Both read the same
// format: 8 hex digits of a per-node prefix, 8 of a rising counter.
import { randomBytes } from 'node:crypto';

/**
 * Message ids for the msgs a node creates: a random prefix and a counter, 16 hex digits like the
 * runtime's own. Node-RED would otherwise draw 8 random bytes per msg (a visible cost at 100k msg/s).
 */
export class MessageIds {
  private prefix = '';
  private n = 0x1_0000_0000;
  /** The prefix and the counter's first 6 digits, which 256 ids in a row share: one concatenation per id. */
  private head = '';

  next(): string {
    let n = this.n;
    if (n > 0xffff_ffff) {
      this.prefix = randomBytes(4).toString('hex');
      n = 0;
    }
    const low = n & 0xff;
    if (low === 0) this.head = this.prefix + (n >>> 8).toString(16).padStart(6, '0');
    this.n = n + 1;
    return this.head + HEX_PAIRS[low];
  }
}

/** "00" … "ff". */
const HEX_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Tells a lifecycle event the node has not applied yet from a copy of one it has: the same event
 * reaching it over two wires (output 1 in-band and output 2) keeps its _msgid (Node-RED clones a msg
 * sent on several outputs, id included). The ids a subscribe node makes (MessageIds) are a per-node
 * prefix and a rising counter, so any id at or below the highest applied of its prefix is a copy,
 * however late it comes. Other ids (hand-made events) are remembered in a window of the last `size`.
 */
export class LifecycleDeduper {
  private readonly highest = new Map<string, number>();
  private readonly ids: string[] = [];
  private next = 0;

  constructor(private readonly size = 32) {}

  /** True the first time an event is seen; an empty id is always new. */
  first(msgid: string): boolean {
    if (msgid === '') return true;
    if (OUR_ID.test(msgid)) {
      const prefix = msgid.slice(0, 8);
      const n = parseInt(msgid.slice(8), 16);
      const top = this.highest.get(prefix);
      if (top !== undefined && n <= top) return false;
      if (top === undefined && this.highest.size >= MAX_PREFIXES) this.highest.clear(); // random ids of other nodes
      this.highest.set(prefix, n);
      return true;
    }
    if (this.ids.includes(msgid)) return false;
    this.ids[this.next] = msgid;
    this.next = (this.next + 1) % this.size;
    return true;
  }
}

/** An id of MessageIds: 8 hex digits of prefix, 8 of counter. */
const OUR_ID = /^[0-9a-f]{16}$/;
/** Subscribe nodes feeding one node are few; more prefixes are random ids of other nodes. */
const MAX_PREFIXES = 256;
