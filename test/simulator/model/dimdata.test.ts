import assert from 'node:assert/strict';
import { createModel, DIMDATA_KINDS } from '../../../simulator/model';
import { T0 } from '../../helpers/model-replay';

type Row = Record<string, unknown>;

describe('simulator model: dimension data', () => {
  const model = createModel({ seed: 5, agents: 40, groups: 4, startTime: T0 });
  model.step(2000, T0 + 600_000);
  const rows = (kind: string, user = 'supervisor1') => model.dimdata(kind, user) as Row[];
  const dims = (producerId: string, key: string, user = 'supervisor1') =>
    new Set(model.entities(producerId, user).map((e) => e.dimension[key]));

  it('serves the 9 kinds of the guide and nothing else', () => {
    for (const kind of DIMDATA_KINDS)
      assert.ok(Array.isArray(model.dimdata(kind, 'supervisor1')) && rows(kind).length > 0, kind);
    for (const kind of ['agent', 'Agents', '__proto__', 'constructor', ''])
      assert.equal(model.dimdata(kind, 'supervisor1'), undefined, kind);
  });

  it('describes the same agents, accounts and groups as the traffic', () => {
    assert.deepEqual(new Set(rows('Agent').map((r) => r['agentId'])), dims('Agent_SoD_3.5', 'agentId'));
    assert.deepEqual(new Set(rows('Account').map((r) => r['accountId'])), dims('AgentByAccount_SoD_3.5', 'accountId'));
    const agentGroups = rows('Group').filter((r) => r['groupType'] === 'AGENT');
    const serviceGroups = rows('Group').filter((r) => r['groupType'] === 'ROUTING_SERVICE');
    assert.deepEqual(new Set(agentGroups.map((r) => r['groupId'])), dims('AgentGroup_SoD_3.5', 'groupId'));
    assert.deepEqual(new Set(serviceGroups.map((r) => r['groupId'])), dims('RoutingServiceGroup_SoD_3.5', 'groupId'));
    const scollins = rows('Agent').find((r) => r['agentId'] === 'scollins');
    assert.equal(scollins?.['displayName'], 'Siobhan Collins');
    assert.ok(
      rows('Account').some(
        (r) => r['agentId'] === 'jsmith' && r['accountId'] === '8501014' && r['channelId'] === 'Voice',
      ),
    );
    assert.ok(
      rows('Account').some((r) => r['accountId'] === 'jsmith_OCPChatRoutableAddress' && r['channelId'] === 'Chat'),
    );
  });

  it('has the reason codes, routing points, services and channels the traffic uses', () => {
    const codes = new Set(rows('ReasonCode').map((r) => r['nrReasonCode']));
    for (const code of dims('AgentByNotReadyReasonCode_SoD_3.5', 'nrReasonCode')) assert.ok(codes.has(code), code);
    assert.ok(codes.has('0') && codes.has('101'));
    assert.ok(rows('ReasonCode').every((r) => typeof r['nrReasonCode'] === 'string'));
    assert.deepEqual(
      new Set(rows('RoutingPoint').map((r) => r['routingPointId'])),
      dims('VDN_SoD_3.5', 'routingPointId'),
    );
    assert.deepEqual(
      new Set(rows('RoutingService').map((r) => r['routingServiceName'])),
      dims('RoutingService_SoD_3.5', 'routingServiceName'),
    );
    assert.deepEqual(new Set(rows('Channel').map((r) => r['channelId'])), dims('AgentByAccount_SoD_3.5', 'channelId'));
  });

  it('group members and privileges match what each supervisor sees', () => {
    for (const user of ['supervisor1', 'supervisor2', 'supervisor3']) {
      const members = new Set(
        rows('GroupMember', user)
          .filter((r) => 'agentId' in r)
          .map((r) => r['agentId']),
      );
      assert.deepEqual(members, dims('Agent_SoD_3.5', 'agentId', user), user);
      assert.deepEqual(new Set(rows('Agent', user).map((r) => r['agentId'])), members, user);
      const held = new Set(rows('GroupPrivilege', user).map((r) => r['groupId']));
      assert.deepEqual(new Set(rows('Group', user).map((r) => r['groupId'])), held, user);
      assert.ok(rows('GroupPrivilege', user).every((r) => r['username'] === user));
    }
    assert.ok(rows('Agent', 'supervisor2').length < rows('Agent', 'supervisor1').length);
  });

  it('gives nothing to an unknown user', () => {
    assert.deepEqual(model.dimdata('Agent', 'nobody'), []);
    assert.deepEqual(model.dimdata('Channel', '__proto__'), []);
  });
});
