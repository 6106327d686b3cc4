import assert from 'node:assert/strict';
import { createModel } from '../../../simulator/model';
import { apply, emptyView, plain, PRODUCER_IDS, snapshot, T0 } from '../../helpers/model-replay';

describe('simulator model: hostile names and bad options', () => {
  afterEach(() => {
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(Object.getPrototypeOf({}), Object.prototype);
  });

  it('treats users, agents and groups called __proto__, constructor or prototype as plain names', () => {
    const model = createModel({
      seed: 1,
      agents: 12,
      groups: 2,
      startTime: T0,
      agentIds: ['__proto__', 'constructor', 'prototype', 'toString', '8881001'],
      users: [
        { username: '__proto__', password: 'x', groups: ['10001', '__proto__'] },
        { username: 'constructor', password: 'y', groups: ['10002', 'constructor', '10034'] },
        { username: 'hasOwnProperty', password: 'z', groups: [] },
      ],
    });
    const agents = model.entities('Agent_SoD_3.5', '__proto__').map((e) => e.dimension['agentId']);
    assert.ok(agents.includes('__proto__') && agents.includes('prototype'), 'group 10001 holds agents 0, 2, 4…');
    assert.ok(model.entities('Agent_SoD_3.5', 'constructor').some((e) => e.dimension['agentId'] === 'constructor'));
    assert.deepEqual(model.entities('Agent_SoD_3.5', 'hasOwnProperty'), []);
    assert.deepEqual(model.entities('Agent_SoD_3.5', 'toString'), [], 'not a user');
    const proto = model.entities('Agent_SoD_3.5', '__proto__').find((e) => e.dimension['agentId'] === '__proto__');
    assert.equal(proto?.realtimeData['agentId'], '__proto__');
    assert.ok(
      model
        .entities('AgentByAccount_SoD_3.5', '__proto__')
        .some(
          (e) =>
            e.dimension['accountId'] === '__proto___OCPChatRoutableAddress' || e.dimension['accountId'] === '8502001',
        ),
    );
    assert.ok(model.entities('AgentByAccount_SoD_3.5', 'constructor').length > 0);
    assert.ok(
      model
        .entities('AgentByAccount_SoD_3.5', '__proto__')
        .concat(model.entities('AgentByAccount_SoD_3.5', 'constructor'))
        .some((e) => e.dimension['accountId'] === '8881001'),
      'a numeric agent id is its voice account',
    );

    // The traffic and the invariant work for them like for anyone.
    const views = snapshot(model, '__proto__');
    apply(views, model.step(3000, T0 + 600_000), (d) => model.isVisible(d.producerId, d.dimension, '__proto__'));
    const truth = snapshot(model, '__proto__');
    for (const p of PRODUCER_IDS)
      assert.deepEqual(plain(views.get(p) ?? emptyView()), plain(truth.get(p) ?? emptyView()), p);

    assert.ok(model.removeAgentFromGroup('__proto__', '10001')?.lostBy.includes('__proto__'));
    assert.equal(model.removeAgentFromGroup('constructor', '__proto__'), undefined);
    assert.equal(model.addAgentToGroup('__proto__', 'constructor'), false);
    assert.equal(model.addAgentToGroup('__proto__', '10002'), true);
    assert.ok(model.isVisible('Agent_SoD_3.5', { agentId: '__proto__' }, 'constructor'));
    assert.equal(model.dimdata('GroupPrivilege', '__proto__')?.length, 2);
    for (const e of model.entities('Agent_SoD_3.5', 'constructor')) {
      assert.equal(Object.getPrototypeOf(e.realtimeData), null);
      assert.equal(Object.getPrototypeOf(e.dimension), null);
    }
  });

  it('refuses bad options with a clear error', () => {
    const ok = { seed: 1, agents: 10 };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...ok, seed: Number.NaN }, /seed/],
      [{ ...ok, seed: '1' }, /seed/],
      [{ ...ok, agents: 0 }, /agents/],
      [{ ...ok, agents: 2.5 }, /agents/],
      [{ ...ok, groups: 11 }, /groups/],
      [{ ...ok, groups: 0 }, /groups/],
      [{ ...ok, startTime: -5 }, /startTime/],
      [{ ...ok, users: 'supervisor1' }, /users/],
      [{ ...ok, users: [{ username: '', password: 'p', groups: [] }] }, /username/],
      [{ ...ok, users: [{ username: 'a', password: 'p', groups: [1] }] }, /groups/],
      [
        {
          ...ok,
          users: [
            { username: 'a', password: 'p', groups: [] },
            { username: 'a', password: 'q', groups: [] },
          ],
        },
        /duplicate/,
      ],
      [{ ...ok, agentIds: ['a', 'a'] }, /duplicate/],
      [{ ...ok, agentIds: [''] }, /agentIds/],
      [{ ...ok, agents: 1, agentIds: ['a', 'b'] }, /agentIds/],
      [{ ...ok, contactDetailWindow: 0 }, /contactDetailWindow/],
    ];
    for (const [options, message] of cases)
      assert.throws(() => createModel(options as never), message, JSON.stringify(options));
    assert.throws(() => createModel(null as never), /options/);
  });

  it('hands out copies: changing returned records does not change the ground truth', () => {
    const model = createModel({ seed: 2, agents: 10, startTime: T0 });
    const before = model.entities('Agent_SoD_3.5', 'supervisor1');
    const first = before[0];
    assert.ok(first);
    first.realtimeData['offered'] = 999_999;
    first.dimension['agentId'] = 'changed';
    const after = model.entities('Agent_SoD_3.5', 'supervisor1');
    assert.notEqual(after[0]?.realtimeData['offered'], 999_999);
    assert.notEqual(after[0]?.dimension['agentId'], 'changed');
    assert.equal(typeof (model.users as unknown as Array<unknown>).length, 'number'); // users are frozen
    assert.throws(() => (model.users as unknown as Array<unknown>).push({}), TypeError);
  });
});
