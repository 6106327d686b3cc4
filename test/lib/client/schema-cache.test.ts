import assert from 'node:assert/strict';
import { SchemaCache } from '../../../lib/client/schema-cache';

const agent = { header: { producerId: 'Agent_SoD_3.5' }, dimensions: ['agentId'], measures: [] };
const group = { producerId: 'AgentGroup_SoD_3.5', dimensions: [{ name: 'groupId' }] };

describe('lib/client/schema-cache SchemaCache', () => {
  it('fetches a source once, also for concurrent callers, and answers every producer from it', async () => {
    const calls: string[] = [];
    const cache = new SchemaCache((sourceId) => {
      calls.push(sourceId);
      return Promise.resolve([agent, group, null, 'junk', { header: {} }]);
    });
    const [a, g] = await Promise.all([cache.get('S', 'Agent_SoD_3.5'), cache.get('S', 'AgentGroup_SoD_3.5')]);
    assert.deepEqual(a?.dimensions, ['agentId']);
    assert.deepEqual(g?.dimensions, ['groupId']);
    assert.equal(await cache.get('S', 'Unknown_1'), undefined);
    assert.deepEqual(calls, ['S']);
    await cache.get('T', 'Agent_SoD_3.5');
    assert.deepEqual(calls, ['S', 'T']);
  });

  it('does not cache a failed fetch: the next call retries', async () => {
    let n = 0;
    const cache = new SchemaCache(() => {
      n++;
      return n === 1 ? Promise.reject(new Error('503')) : Promise.resolve([agent]);
    });
    await assert.rejects(cache.get('S', 'Agent_SoD_3.5'), /503/);
    const schema = await cache.get('S', 'Agent_SoD_3.5');
    assert.equal(schema?.producerId, 'Agent_SoD_3.5');
    assert.equal(n, 2);
  });

  it('treats a producer id like "__proto__" as an ordinary unknown key', async () => {
    const cache = new SchemaCache(() => Promise.resolve([agent]));
    assert.equal(await cache.get('S', '__proto__'), undefined);
    assert.equal(await cache.get('S', 'constructor'), undefined);
  });
});
