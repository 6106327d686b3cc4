// The short strings a frame template reads, made once and handed out again.
//
// An agent row holds some 18 short string values ("UNKNOWN", "NOT_AVAILABLE", "READY", "1", a surname), and the
// 64 most frequent values of the bench's rows are four in five of them. Making each from the socket's bytes is a
// call into C++ and a young object (~40 % of a template's read), and a store that keeps it points from the old
// generation to the young one. JSON.parse does the same: it internalizes its short string values. Here a small
// table, looked up by a hash of the bytes, gives back the string made last for the same bytes; only a miss makes
// one. A string is immutable and equal to its bytes, so which copy a frame gets changes nothing anybody can see.

/** Strings of at most this many bytes are looked up; longer ones (timestamps, ids) rarely repeat. */
export const SHORT_STRING_BYTES = 16;
/** Entries of the table (a power of two): ~20 KB of strings at most per feed. */
const TABLE_SIZE = 512;

type Latin1Bytes = Buffer & { latin1Slice(start: number, end: number): string };

export class ShortStrings {
  /** '' in an empty entry: it stands for itself (length 0), and keeps the array one kind of element. */
  private readonly table: string[] = new Array<string>(TABLE_SIZE).fill('');

  /** The string of bytes [start, end), all ASCII: a longer one than SHORT_STRING_BYTES is made each time. */
  get(bytes: Buffer, start: number, end: number): string {
    const length = end - start;
    if (length > SHORT_STRING_BYTES) return (bytes as Latin1Bytes).latin1Slice(start, end);
    let h = length;
    for (let k = start; k < end; k++) h = (Math.imul(h, 31) + (bytes[k] as number)) | 0;
    const index = (h ^ (h >>> 11)) & (TABLE_SIZE - 1);
    const held = this.table[index] as string;
    if (held.length === length) {
      let k = 0;
      while (k < length && held.charCodeAt(k) === bytes[start + k]) k++;
      if (k === length) return held;
    }
    const made = (bytes as Latin1Bytes).latin1Slice(start, end);
    this.table[index] = made;
    return made;
  }
}
