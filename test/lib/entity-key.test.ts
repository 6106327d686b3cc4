// lib/entity-key.ts: one key per entity, whatever the order of the dimension's keys on the wire.
import assert from 'node:assert/strict';
import { dimensionFromKey, dimensionInKey, entityKey, sortedNames } from '../../lib/entity-key';

describe('entityKey (lib/entity-key.ts)', () => {
  it('joins the producer and every key=value in key order', () => {
    const key = 'AgentByAccount_SoD_3.5/accountId=8501014/agentId=jsmith/channelId=Voice';
    assert.equal(
      entityKey('AgentByAccount_SoD_3.5', { channelId: 'Voice', agentId: 'jsmith', accountId: '8501014' }),
      key,
    );
    assert.equal(
      entityKey('AgentByAccount_SoD_3.5', { accountId: '8501014', agentId: 'jsmith', channelId: 'Voice' }),
      key,
    );
  });

  it('keeps hostile names and empty values as plain text', () => {
    const dimension = JSON.parse('{"__proto__":"p","agentId":""}') as Record<string, string>;
    assert.equal(entityKey('P', dimension), 'P/__proto__=p/agentId=');
  });

  it('sorts names as Array.prototype.sort does, by insertion up to 8 names and by sort beyond', () => {
    const alphabet = ['a', 'B', 'b', 'ab', 'a=', 'é', '\u{1F600}', '_', '0', '', 'Z', 'aa'];
    let seed = 7;
    const next = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    for (let trial = 0; trial < 500; trial++) {
      const o: Record<string, string> = Object.create(null) as Record<string, string>;
      const size = 1 + next(12);
      for (let i = 0; i < size; i++) o[alphabet[next(alphabet.length)]! + alphabet[next(alphabet.length)]!] = 'v';
      assert.deepEqual(sortedNames(o), Object.keys(o).sort(), JSON.stringify(Object.keys(o)));
    }
  });

  it('gives a flat string (not a tree of concatenations)', () => {
    const key = entityKey('P', { a: '1', b: '2' });
    assert.equal(key, 'P/a=1/b=2');
    assert.equal(typeof key, 'string');
  });

  it('reads the dimension back from a key, exactly when no name holds "/" or "=" and no value "/"', () => {
    const producer = 'AgentByAccount_SoD_3.5';
    const key = entityKey(producer, { channelId: 'Voice', agentId: 'a=b', accountId: '' });
    assert.deepEqual(dimensionFromKey(key, producer.length), ['accountId', '', 'agentId', 'a=b', 'channelId', 'Voice']);
    assert.equal(dimensionFromKey('P', 1), null, 'no dimension');
    assert.equal(dimensionFromKey('P/ab', 1), null, 'no "="');
    // A name holding "/" makes fewer pairs than the key has slashes: the array has no holes at its end.
    const slashed = dimensionFromKey('P/a/b=c', 1);
    assert.deepEqual(slashed, ['a/b', 'c']);
    assert.equal(slashed?.length, 2);
    assert.deepEqual(dimensionFromKey('P/a=1/b=2', 1), ['a', '1', 'b', '2']);
    const exact = (dimension: Record<string, string>): boolean => {
      const dims = Object.keys(dimension)
        .sort()
        .flatMap((name) => [name, dimension[name]!]);
      return dimensionInKey(entityKey('P/Q', dimension), 3, dims);
    };
    assert.deepEqual(
      (
        [{ a: '1', b: '' }, { a: 'x=y' }, { a: 'x/y' }, { 'a/b': '1' }, { 'a=b': '1' }, { '': '1' }] as Array<
          Record<string, string>
        >
      ).map(exact),
      [true, true, false, false, false, true],
    );
  });
});
