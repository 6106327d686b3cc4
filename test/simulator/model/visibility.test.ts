import assert from 'node:assert/strict';
import { entityKey } from '../../../lib/entity-key';
import { createModel, type VisibilityLoss } from '../../../simulator/model';
import { apply, emptyView, plain, PRODUCER_IDS, snapshot, T0 } from '../../helpers/model-replay';

const ids = (rows: unknown[] | undefined, key: string) =>
  new Set((rows as Array<Record<string, string>>).map((r) => r[key]));

describe('simulator model: visibility and deletes', () => {
  it('has the default supervisors: supervisor1 sees every group, supervisor2 and supervisor3 one each', () => {
    const model = createModel({ seed: 1, agents: 40, groups: 4, startTime: T0 });
    assert.deepEqual(
      model.users.map((u) => [u.username, u.password]),
      [
        ['supervisor1', 'password1'],
        ['supervisor2', 'password2'],
        ['supervisor3', 'password3'],
      ],
    );
    const all = ids(model.dimdata('Group', 'supervisor1'), 'groupId');
    assert.equal(model.entities('AgentGroup_SoD_3.5', 'supervisor1').length, 4);
    for (const g of model.entities('AgentGroup_SoD_3.5', 'supervisor1')) assert.ok(all.has(g.dimension['groupId']));
    assert.equal(model.entities('AgentGroup_SoD_3.5', 'supervisor2').length, 1);
    assert.equal(model.entities('AgentGroup_SoD_3.5', 'supervisor3').length, 1);
    assert.equal(model.entities('RoutingServiceGroup_SoD_3.5', 'supervisor2').length, 1);
    assert.equal(model.entities('Agent_SoD_3.5', 'supervisor1').length, 40);
    assert.equal(model.entities('Agent_SoD_3.5', 'supervisor2').length, 10);
  });

  it('applies the rules per producer: agent-keyed by group membership, groups by holding, the rest to all', () => {
    const model = createModel({ seed: 2, agents: 20, groups: 2, startTime: T0 });
    model.step(500, T0 + 60_000);
    const s2Agents = ids(model.dimdata('Agent', 'supervisor2'), 'agentId');
    for (const p of PRODUCER_IDS) {
      const every = model.entities(p, 'supervisor1');
      const mine = model.entities(p, 'supervisor2');
      for (const e of every) {
        const visible = model.isVisible(p, e.dimension, 'supervisor2');
        assert.equal(
          mine.some((m) => entityKey(p, m.dimension) === entityKey(p, e.dimension)),
          visible,
          p,
        );
        if ('agentId' in e.dimension) assert.equal(visible, s2Agents.has(e.dimension['agentId']), p);
        else if (p === 'AgentGroup_SoD_3.5' || p === 'RoutingServiceGroup_SoD_3.5')
          assert.equal(visible, model.users[1]?.groups.includes(e.dimension['groupId'] as string), p);
        else assert.ok(visible, `${p} is visible to every user`);
      }
    }
    assert.equal(model.isVisible('Agent_SoD_3.5', { agentId: 'scollins' }, 'nobody'), false);
    assert.equal(model.isVisible('Nope', { agentId: 'scollins' }, 'supervisor1'), false);
    assert.equal(model.isVisible('Admin_Admin_3.5', {}, 'supervisor1'), false);
    assert.equal(model.isVisible('Agent_SoD_3.5', {}, 'supervisor1'), false);
  });

  it('removing an agent from a group reports who lost it and every entity to delete', () => {
    const model = createModel({ seed: 3, agents: 20, groups: 2, startTime: T0 });
    model.step(2000, T0 + 600_000);
    // scollins is in group 10001 (supervisor1 and supervisor2 hold it).
    const loss = model.removeAgentFromGroup('scollins', '10001') as VisibilityLoss;
    assert.ok(loss);
    assert.equal(loss.agentId, 'scollins');
    assert.equal(loss.groupId, '10001');
    assert.deepEqual(loss.lostBy.sort(), ['supervisor1', 'supervisor2']);
    const expected = PRODUCER_IDS.flatMap((p) =>
      model
        .entities(p, 'supervisor1')
        .concat([])
        .filter((e) => e.dimension['agentId'] === 'scollins')
        .map((e) => entityKey(p, e.dimension)),
    );
    assert.equal(expected.length, 0, 'nobody sees scollins any more');
    const keys = loss.entities.map((e) => entityKey(e.producerId, e.dimension));
    assert.ok(keys.includes('Agent_SoD_3.5/agentId=scollins'));
    assert.ok(keys.includes('AgentByAccount_SoD_3.5/accountId=8501013/agentId=scollins/channelId=Voice'));
    assert.ok(loss.entities.some((e) => e.producerId === 'AgentByNotReadyReasonCode_SoD_3.5'));
    assert.ok(loss.entities.some((e) => e.producerId === 'RoutingServiceByAgent_SoD_3.5'));
    assert.ok(loss.entities.every((e) => e.dimension['agentId'] === 'scollins'));
    assert.equal(model.isVisible('Agent_SoD_3.5', { agentId: 'scollins' }, 'supervisor1'), false);
    assert.equal(model.removeAgentFromGroup('scollins', '10001'), undefined, 'no longer a member');
    assert.equal(model.removeAgentFromGroup('nobody', '10001'), undefined);
    assert.equal(model.removeAgentFromGroup('jsmith', '99999'), undefined);
  });

  it('a user who still sees the agent through another group does not lose it', () => {
    const model = createModel({ seed: 4, agents: 20, groups: 2, startTime: T0 });
    assert.equal(model.addAgentToGroup('scollins', '10002'), true);
    assert.equal(model.addAgentToGroup('scollins', '10002'), false, 'already a member');
    assert.equal(model.addAgentToGroup('scollins', '12345'), false, 'unknown group');
    assert.equal(model.addAgentToGroup('nobody', '10002'), false, 'unknown agent');
    assert.ok(model.isVisible('Agent_SoD_3.5', { agentId: 'scollins' }, 'supervisor3'), 'supervisor3 holds 10002');
    const loss = model.removeAgentFromGroup('scollins', '10001') as VisibilityLoss;
    assert.deepEqual(loss.lostBy, ['supervisor2'], 'supervisor1 holds 10002 too');
    assert.ok(model.isVisible('Agent_SoD_3.5', { agentId: 'scollins' }, 'supervisor1'));
    assert.ok(!model.isVisible('Agent_SoD_3.5', { agentId: 'scollins' }, 'supervisor2'));
  });

  it('keeps every supervisor’s ground truth across membership changes (DELETE for the lost, group gauges follow)', () => {
    const model = createModel({
      seed: 5,
      agents: 30,
      groups: 3,
      startTime: T0,
      announceEvictions: true,
      users: [
        { username: 'all', password: 'p', groups: ['10001', '10002', '10003'] },
        { username: 'first', password: 'p', groups: ['10001'] },
        { username: 'second', password: 'p', groups: ['10002'] },
        // Holds both groups the agents move between: never loses sight of them.
        { username: 'both', password: 'p', groups: ['10001', '10002'] },
      ],
    });
    const users = model.users.map((u) => u.username);
    const views = new Map(users.map((u) => [u, snapshot(model, u)]));
    const feed = (deltas: ReturnType<typeof model.step>) => {
      for (const u of users)
        apply(views.get(u) as Map<string, never>, deltas, (d) => model.isVisible(d.producerId, d.dimension, u));
    };
    feed(model.step(3000, T0 + 300_000));
    const members = model.dimdata('GroupMember', 'all') as Array<Record<string, string>>;
    const moves = members.filter((m) => m['groupId'] === '10001' && m['agentId']).slice(0, 3);
    assert.equal(moves.length, 3);
    const moved = new Set(moves.map((m) => m['agentId']));
    for (const m of moves) {
      // Added to a group: no event, as the guide says; 'second' gets the agent's deltas from now on.
      assert.ok(model.addAgentToGroup(m['agentId'] as string, '10002'));
      const loss = model.removeAgentFromGroup(m['agentId'] as string, '10001') as VisibilityLoss;
      assert.deepEqual(loss.lostBy, ['first'], "'all' and 'both' still see the agent through 10002");
      // What the server does: a DELETE to each user who lost the agent, for each of its entities.
      for (const u of loss.lostBy) {
        apply(
          views.get(u) as Map<string, never>,
          loss.entities.map((e) => ({ ...e, realtimeData: {}, eventAction: 'DELETE' as const })),
        );
      }
      feed(model.step(500, T0 + 400_000));
    }
    feed(model.step(3000, T0 + 700_000));
    for (const u of users) {
      const truth = snapshot(model, u);
      for (const p of PRODUCER_IDS) {
        const mine = views.get(u)?.get(p) ?? emptyView();
        const expected = truth.get(p) ?? emptyView();
        for (const [key, e] of mine) {
          const t = expected.get(key);
          assert.ok(t, `${u} holds ${key} it may not see`);
          const gainedWithoutPumpup = u === 'second' && moved.has(e.dimension['agentId']);
          if (!gainedWithoutPumpup) assert.deepEqual(e, t, `${u} ${key}`);
          // Seen without a pumpup: what arrived since is right.
          else
            for (const [k, v] of Object.entries(e.realtimeData)) assert.equal(v, t.realtimeData[k], `${u} ${key} ${k}`);
        }
      }
    }
    for (const u of ['all', 'both', 'first']) {
      const truth = snapshot(model, u);
      for (const p of PRODUCER_IDS)
        assert.deepEqual(plain(views.get(u)?.get(p) ?? emptyView()), plain(truth.get(p) ?? emptyView()), `${u} ${p}`);
    }
    // The groups' staffing gauges followed the moves.
    const group = (id: string) =>
      model.entities('AgentGroup_SoD_3.5', 'all').find((g) => g.dimension['groupId'] === id)?.realtimeData;
    const inGroup = (id: string) =>
      (model.dimdata('GroupMember', 'all') as Array<Record<string, string>>).filter((m) => m['groupId'] === id);
    const agents = new Map(model.entities('Agent_SoD_3.5', 'all').map((e) => [e.dimension['agentId'], e.realtimeData]));
    for (const id of ['10001', '10002']) {
      const loggedIn = inGroup(id).filter((m) => agents.get(m['agentId'])?.['agentState'] !== 'LOGGED_OUT').length;
      assert.equal(group(id)?.['agentsLoggedIn'], loggedIn, id);
    }
  });
});
