// lib/health-board.ts: a consumer's view of the feed health over several collectors.
import assert from 'node:assert/strict';
import { HealthBoard } from '../../lib/health-board';

describe('lib/health-board: HealthBoard', () => {
  it('shows a producer as good as its best collector; a Last Will makes that collector disconnected', () => {
    const board = new HealthBoard();
    const feed = (collector: string, state: string) =>
      board.apply({ kind: 'health', collector, producer: 'P', state: state as 'live', cause: state });
    assert.deepEqual(
      feed('c1', 'live').map((c) => c.state),
      ['live'],
    );
    assert.deepEqual(feed('c2', 'live'), [], 'still live: no change');
    assert.deepEqual(
      board.apply({ kind: 'health', collector: 'c1', producer: undefined, state: 'offline', cause: 'last will' }),
      [],
      'c2 still live',
    );
    assert.deepEqual(
      feed('c2', 'stale').map((c) => c.state),
      ['stale'],
    );
    assert.match(board.overall('P').cause, /c2/);
    assert.deepEqual(
      board
        .apply({ kind: 'health', collector: 'c1', producer: undefined, state: 'online', cause: '' })
        .map((c) => c.state),
      ['live'],
      'c1 back, its feed said live',
    );
  });
});
