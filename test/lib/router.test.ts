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

  it('names the one target of a frame before its measures are read (only), else none', () => {
    const ag: Target = { producerId: 'AgentGroup_SoD_3.5', schema: buildSchema('AgentGroup_SoD_3.5', ['groupId'], []) };
    const rsg: Target = {
      producerId: 'RoutingServiceGroup_SoD_3.5',
      schema: buildSchema('RoutingServiceGroup_SoD_3.5', ['groupId'], []),
    };
    const r = new FrameRouter<Target>();
    for (const t of [agent, site, ag, rsg]) r.add(t);
    const dim = (text: string): Record<string, string> => frame(`{"dimension":${text},"realtimeData":{}}`).dimension;
    assert.equal(r.only('Agent_SoD_3.5', dim('{"agentId":"a"}')), agent);
    assert.equal(r.only('VDN_SoD_3.5', dim('{"routingPointId":"1"}')), undefined, 'not subscribed');
    assert.equal(r.only(null, dim('{"agentid":"a"}')), agent, 'short form: by the dimension keys');
    assert.equal(r.only(null, dim('{"siteId":"1","siteName":"x"}')), site);
    assert.equal(r.only(null, dim('{"groupId":"1"}')), undefined, 'two candidates: the measures must decide');
    assert.equal(r.only(null, dim('{"k":"1"}')), undefined);
  });
});
