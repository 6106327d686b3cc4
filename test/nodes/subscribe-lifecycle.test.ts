// Where a subscribe node sends its lifecycle events (nodes/avaya-analytics-subscribe/lifecycle-output.ts),
// and that a node saved by release 0.1.0 is given the "legacy" setting on upgrade.
import assert from 'node:assert/strict';
import { firstWireToState, lifecycleInBand, nodeTypes } from '../../nodes/avaya-analytics-subscribe/lifecycle-output';
import { CONFIG_SCHEMAS } from '../../nodes/shared/schemas';
import { upgradeConfig } from '../../nodes/shared/upgrade';

const TYPES: Record<string, string> = { st: 'avaya-analytics-state', fn: 'function', dbg: 'debug', link: 'link out' };
const typeOf = (id: string): string | undefined => TYPES[id];
type Loose = { id: string; type: string; [key: string]: unknown };

describe('subscribe: where the lifecycle events go', () => {
  it('inband (the default) and separate do what they say, whatever the wiring', () => {
    assert.equal(lifecycleInBand('inband', [['fn']], typeOf), true);
    assert.equal(lifecycleInBand(undefined, [['fn']], typeOf), true);
    assert.equal(lifecycleInBand('separate', [['st']], typeOf), false);
  });

  it('legacy: in-band when output 1 feeds a state node or nothing, not when it feeds only other nodes', () => {
    assert.equal(lifecycleInBand('legacy', [['st', 'fn']], typeOf), true);
    assert.equal(lifecycleInBand('legacy', [[]], typeOf), true);
    assert.equal(lifecycleInBand('legacy', undefined, typeOf), true);
    assert.equal(
      lifecycleInBand('legacy', [['fn', 'dbg'], ['st']], typeOf),
      false,
      'output 2 into the state node: as in 0.1.0',
    );
    assert.equal(lifecycleInBand('legacy', [['link']], typeOf), false);
    assert.equal(lifecycleInBand('legacy', [['gone']], typeOf), false, 'a target that is not in the flows');
  });

  it('knows when the first wire of output 1 goes to a state node (which then gets the original msg)', () => {
    assert.equal(firstWireToState([['st']], typeOf), true);
    assert.equal(firstWireToState([['st', 'fn']], typeOf), true, 'fn gets a copy');
    assert.equal(firstWireToState([['fn', 'st']], typeOf), false, 'fn gets the original, and may change it');
    assert.equal(firstWireToState([[], ['st']], typeOf), false, 'output 2 carries no data');
    assert.equal(firstWireToState([['gone']], typeOf), false);
    assert.equal(firstWireToState(undefined, typeOf), false);
  });

  it('gives a node saved by 0.1.0 "legacy" and a new node "inband"', () => {
    const schema = CONFIG_SCHEMAS['avaya-analytics-subscribe'];
    assert.equal(
      upgradeConfig<Loose>({ id: 's', type: 'avaya-analytics-subscribe', version: 1 }, schema).lifecycle,
      'legacy',
    );
    assert.equal(
      upgradeConfig<Loose>({ id: 's', type: 'avaya-analytics-subscribe' }, schema).lifecycle,
      'legacy',
      'saved before version existed',
    );
    assert.equal(
      upgradeConfig<Loose>({ id: 's', type: 'avaya-analytics-subscribe', version: 2 }, schema).lifecycle,
      'inband',
    );
    assert.equal(
      upgradeConfig<Loose>({ id: 's', type: 'avaya-analytics-subscribe', version: 1, lifecycle: 'separate' }, schema)
        .lifecycle,
      'separate',
    );
  });

  it('reads the types of the flows once, lazily', () => {
    let walks = 0;
    const lookup = nodeTypes((cb) => {
      walks++;
      cb({ id: 'a', type: 'avaya-analytics-state' });
    });
    assert.equal(walks, 0);
    assert.equal(lookup('a'), 'avaya-analytics-state');
    assert.equal(lookup('b'), undefined);
    assert.equal(walks, 1);
  });
});
