// nodes/shared/feed-losses.ts: the reason a state or alert node's status gives for a view that is not
// synced, from lifecycle events (with or without a cause) and broker health reports.
import assert from 'node:assert/strict';
import { makeCause } from '../../lib/client/cause';
import { FeedLosses } from '../../nodes/shared/feed-losses';

/** A view in which the producers listed are known and none is synced. */
const unsynced = (...producers: string[]) => ({ producers: () => producers, isSynced: () => false });

describe('nodes/shared feed-losses', () => {
  it('gives the event with its short cause, or the event alone, for the first unsynced producer that has one', () => {
    const losses = new FeedLosses();
    assert.equal(losses.text(unsynced('A')), null);
    losses.lost('A', 'disconnected', makeCause('tls-untrusted', 'TLS: the server certificate …'));
    losses.lost('B', 'failed', undefined);
    assert.equal(losses.text(unsynced('A', 'B')), 'disconnected: TLS: untrusted CA');
    assert.equal(losses.text(unsynced('C', 'B')), 'failed');
    assert.equal(losses.text({ producers: () => ['A', 'B'], isSynced: (p) => p === 'A' }), 'failed');
  });

  it('takes only a string short cause from a msg (a flow may send anything)', () => {
    const losses = new FeedLosses();
    losses.lost('A', 'stale', { short: { toString: () => 'x' } });
    assert.equal(losses.text(unsynced('A')), 'stale');
    losses.lost('A', 'stale', null);
    assert.equal(losses.text(unsynced('A')), 'stale');
  });

  it('follows broker health, and cuts a long reason to a status length', () => {
    const losses = new FeedLosses();
    losses.health('A', false, 'collector-1: disconnected: TLS: untrusted CA and then some more words');
    const text = losses.text(unsynced('A'));
    assert.equal(text?.length, 40);
    assert.ok(text?.startsWith('collector-1: disconnected: TLS'));
    assert.ok(text?.endsWith('…'));
    losses.health('A', true, 'collector-1: pumpupComplete');
    assert.equal(losses.text(unsynced('A')), null);
  });
});
