// Where V8 makes a data msg (lib/data-message.ts): in the young generation, even after a pumpup-sized backlog of
// them outlived its collections, and with one hidden class through the state node. A literal or a template copy
// passes every functional test, and costs the steady traffic a major collection every few seconds instead
// (bench/README.md, the twentieth round). V8's own answers come from a child process under --allow-natives-syntax.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = path.join(__dirname, '..', 'helpers', 'young-messages.js');

async function measure(
  which: 'client' | 'broker' | 'publish',
): Promise<{ young: number; sameClass: number | null; plain: boolean }> {
  const { stdout } = await run(process.execPath, ['--allow-natives-syntax', SCRIPT, '1500000', which], {
    timeout: 60_000,
  });
  return JSON.parse(stdout) as { young: number; sameClass: number | null; plain: boolean };
}

describe('data msgs in the heap (lib/data-message.ts)', function () {
  this.timeout(90_000);

  for (const [which, maker] of [
    ['client', "a subscribe node's data msg (dataMessage)"],
    ['broker', 'a data msg read from a broker record (readBrokerMessage)'],
  ] as const) {
    it(`${maker} is a plain object made young after a backlog of 1.5 million, and keeps one hidden class through the state node`, async () => {
      const m = await measure(which);
      assert.equal(m.plain, true, 'its prototype is Object.prototype, as a literal’s');
      assert.equal(m.young, 1000, 'every msg made after the backlog is in the young generation (not pretenured)');
      assert.equal(m.sameClass, 2000, 'every state node output has the hidden class of the one before');
    });
  }

  it("the mqtt node's publish (PublishMessageObject, lib/broker.ts) is a plain object made young after a backlog of 1.5 million", async () => {
    const m = await measure('publish');
    assert.equal(m.plain, true);
    assert.equal(m.young, 1000, 'every publish made after the backlog is in the young generation');
  });
});
