// lib/entity-key.ts: one key per entity, whatever the order of the dimension's keys on the wire.
import assert from 'node:assert/strict';
import { entityKey } from '../../lib/entity-key';

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

  it('gives a flat string (not a tree of concatenations)', () => {
    const key = entityKey('P', { a: '1', b: '2' });
    assert.equal(key, 'P/a=1/b=2');
    assert.equal(typeof key, 'string');
  });
});
