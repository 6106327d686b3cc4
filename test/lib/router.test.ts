import assert from 'node:assert/strict';
import { decodeFrame } from '../../lib/frames/decode';
import { buildSchema, fallbackSchema } from '../../lib/frames/producer-schema';
import { FrameRouter } from '../../lib/frames/router';
import type { DecodedMessage } from '../../lib/frames/decode';
import type { ProducerSchema } from '../../lib/frames/producer-schema';

interface Target {
  producerId: string;
  schema: ProducerSchema;
}

const frame = (text: string): DecodedMessage => decodeFrame(text) as DecodedMessage;

describe('lib/frames FrameRouter', () => {
  const agent: Target = { producerId: 'Agent_SoD_3.5', schema: fallbackSchema('Agent_SoD_3.5') };
  const byAccount: Target = { producerId: 'AgentByAccount_SoD_3.5', schema: fallbackSchema('AgentByAccount_SoD_3.5') };
  const site: Target = { producerId: 'Site_SoD_3.5', schema: fallbackSchema('Site_SoD_3.5') };
  const contact: Target = { producerId: 'ContactDetail_CDR_3.5', schema: fallbackSchema('ContactDetail_CDR_3.5') };

  it('routes the long form by producerId, and not at all when that producer is not subscribed', () => {
    const r = new FrameRouter<Target>();
    r.add(agent);
    assert.deepEqual(r.route(frame('{"dimension":{"agentId":"a"},"realtimeData":{},"producerId":"Agent_SoD_3.5"}')), [
      agent,
    ]);
    assert.deepEqual(r.route(frame('{"dimension":{"agentId":"a"},"realtimeData":{},"producerId":"VDN_SoD_3.5"}')), []);
  });

  it('routes the short form by the set of dimension keys, whatever their order and case', () => {
    const r = new FrameRouter<Target>();
    for (const t of [agent, byAccount, site, contact]) r.add(t);
    assert.deepEqual(r.route(frame('{"dimension":{"agentId":"a"},"realtimeData":{}}')), [agent]);
    assert.deepEqual(
      r.route(frame('{"dimension":{"channelId":"Voice","agentId":"a","accountId":"1"},"realtimeData":{}}')),
      [byAccount],
    );
    assert.deepEqual(r.route(frame('{"dimension":{"siteId":"1","siteName":"x"},"realtimeData":{}}')), [site]);
    assert.deepEqual(r.route(frame('{"dimension":{"segmentid":"s"},"realtimeData":{}}')), [contact]);
    assert.deepEqual(r.route(frame('{"dimension":{"routingPointId":"5003"},"realtimeData":{}}')), []);
    r.remove(agent);
    assert.deepEqual(r.route(frame('{"dimension":{"agentId":"a"},"realtimeData":{}}')), []);
  });

  it('narrows AgentGroup/RoutingServiceGroup by declared measures, else reports both (ambiguous)', () => {
    const ag: Target = {
      producerId: 'AgentGroup_SoD_3.5',
      schema: buildSchema('AgentGroup_SoD_3.5', ['groupId'], [{ name: 'acwDuration' }, { name: 'agentsReady' }]),
    };
    const rsg: Target = {
      producerId: 'RoutingServiceGroup_SoD_3.5',
      schema: buildSchema(
        'RoutingServiceGroup_SoD_3.5',
        ['groupId'],
        [{ name: 'acwDuration' }, { name: 'contactsWaiting' }],
      ),
    };
    const r = new FrameRouter<Target>();
    r.add(ag);
    r.add(rsg);
    assert.deepEqual(r.route(frame('{"dimension":{"groupId":"1"},"realtimeData":{"agentsReady":2}}')), [ag]);
    assert.deepEqual(r.route(frame('{"dimension":{"groupid":"1"},"realtimeData":{"contactsWaiting":2}}')), [rsg]);
    assert.deepEqual(r.route(frame('{"dimension":{"groupId":"1"},"realtimeData":{"acwDuration":2}}')), [ag, rsg]);
  });

  it('survives hostile key sets (bounded cache, prototype keys)', () => {
    const r = new FrameRouter<Target>();
    r.add(agent);
    for (let i = 0; i < 2000; i++)
      assert.deepEqual(r.route(frame(`{"dimension":{"k${i}":"v"},"realtimeData":{}}`)), []);
    assert.deepEqual(r.route(frame('{"dimension":{"__proto__":"x","constructor":"y"},"realtimeData":{}}')), []);
    assert.deepEqual(r.route(frame('{"dimension":{"agentId":"a"},"realtimeData":{}}')), [agent]);
  });
});
