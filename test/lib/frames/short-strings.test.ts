import assert from 'node:assert/strict';
import { SHORT_STRING_BYTES, ShortStrings } from '../../../lib/frames/short-strings';
import { seededRandom } from '../../helpers/seeded-random';

describe('ShortStrings', () => {
  it('gives the string of the bytes asked for, through repeats and collisions in its table (seeded)', () => {
    const strings = new ShortStrings();
    const random = seededRandom(512);
    // A small alphabet and short lengths: many repeats, and thousands of distinct strings for 512 entries.
    const alphabet = 'AB01_ ';
    const seen = new Set<string>();
    for (let k = 0; k < 20_000; k++) {
      const length = Math.floor(random() * (SHORT_STRING_BYTES + 1));
      let text = '';
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      seen.add(text);
      // Inside a longer buffer, as in a frame: the bytes around must not count.
      const bytes = Buffer.from(`{"a":"${text}","b":1}`);
      assert.equal(strings.get(bytes, 6, 6 + length), text, `string ${k}: ${JSON.stringify(text)}`);
    }
    assert.ok(seen.size > 2000, `the table of 512 was outgrown: ${seen.size} distinct strings`);
  });

  it('gives back strings that differ in one byte as themselves, round after round, and long ones as well', () => {
    const strings = new ShortStrings();
    // The same length, and one byte different: each is itself again after the other.
    for (let round = 0; round < 3; round++) {
      for (const text of ['READY', 'READZ', 'REAdY', '', 'UNKNOWN', 'UNKNOWM', '00000001496919456478']) {
        const bytes = Buffer.from(text);
        assert.equal(strings.get(bytes, 0, bytes.length), text);
      }
    }
  });
});
