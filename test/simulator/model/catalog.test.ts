import assert from 'node:assert/strict';
import { createModel, LOCALES, type ProducerDescriptor } from '../../../simulator/model';
import { T0 } from '../../helpers/model-replay';

// Every measure name in the guide's samples, per producer.
const GUIDE_MEASURES: Record<string, string[]> = {
  // scollins pumpup row 1
  'Agent_SoD_3.5': (
    'consultsAccepted transferred abandonedFromAlerting adHocDuration disconnectsFromHold bargedIn abandonTimeDuration observed ' +
    'transferredAcceptedFromService blendedActiveDuration agentLogonDuration acw additionalWorkDuration blendedAlertDuration observedDuration ' +
    'conferencedInitiated blendedAlert abandonedFromQueue coaching adHoc abandoned shortEngagements consultedDuration totalDuration ' +
    'ringTimeDuration transferredInitiated conferencedAccepted longHolds transferredInitiatedToAgent completed additionalWork ' +
    'answeredAfterThreshold consults blendedActive longAcw idleTimeDuration abandonedAfterThreshold acwDuration bargedOutDuration alertDuration ' +
    'totalActiveTimeDuration contacthandlingDuration transferredInitiatedToService observingDuration totalHoldTimeDuration conferenced coached ' +
    'acwExtended longEngagements consultsInitiated transferredToService agentNotReady handlingDuration activeTimeDuration ' +
    'transferredAcceptedFromAgent coachingDuration offered bargedInDuration shortNotReady transferredToAgent holdDuration agentReady ' +
    'consultingDuration consultDuration notAnswered answered agentNotReadyTimeDuration transferredAccepted shortAcw bargedOut coachedDuration ' +
    'totalWaitTime holds observing ' +
    // rows 2 and 3, and the state-change samples
    'active agentLogoutTimeStamp agentFirstName supervisorFirstName agentLastName lastStateChangeTimestamp supervisorId supervisorLastName ' +
    'nrReasonCode agentId lastStateReasonTimestamp loginTimeStamp accountAddress workLimit agentDisplayName agentState workState ' +
    'lastWorkCodeChangeTimestamp nrReasonCodeName activeWorkCount'
  ).split(' '),
  'AgentByAccount_SoD_3.5':
    'accountReady accountState loginTimeStamp lastStateChangeTimestamp lastStateReasonTimestamp accountLogonDuration accountNotReady activeWorkCount'.split(
      ' ',
    ),
  'AgentGroup_SoD_3.5': ['acwDuration', 'shortAcw'],
  'AgentByNotReadyReasonCode_SoD_3.5': ['nrReasonCodeOccurrence'],
  'ContactDetail_CDR_3.5': ['initialDisposition', 'workType'],
  'RoutingService_SoD_3.5':
    'contactsWaiting active heldContacts contactsAtAgent alerting oldestContactWaitTime ewt answered abandoned serviceLevel'.split(
      ' ',
    ),
  'RoutingServiceByAgent_SoD_3.5': ['offered', 'alertDuration'],
  'Site_SoD_3.5': ['replied'],
  'VDN_SoD_3.5': ['routePointDisconnects', 'routingDuration', 'routePointHandled'],
  'RoutingServiceGroup_SoD_3.5': ['shortAcw'],
};

// notes.md: the dimension keys that route a short-form message.
const DIMENSIONS: Record<string, string[]> = {
  'Agent_SoD_3.5': ['agentId'],
  'AgentByAccount_SoD_3.5': ['agentId', 'accountId', 'channelId'],
  'AgentGroup_SoD_3.5': ['groupId'],
  'AgentByNotReadyReasonCode_SoD_3.5': ['agentId', 'nrReasonCode'],
  'ContactDetail_CDR_3.5': ['segmentId'],
  'RoutingService_SoD_3.5': ['routingServiceName'],
  'RoutingServiceByAgent_SoD_3.5': ['agentId', 'routingServiceName'],
  'Site_SoD_3.5': ['siteName', 'siteId'],
  'VDN_SoD_3.5': ['routingPointId'],
  'RoutingServiceGroup_SoD_3.5': ['groupId'],
  'Admin_Admin_3.5': [],
};

const TYPES = new Set(['STRING', 'NUMBER', 'DURATION', 'DATE', 'TIME_IN_STATE']);

describe('simulator model: catalog', () => {
  const model = createModel({ seed: 1, agents: 10, startTime: T0, warmupEvents: 0 });
  const producers = model.producers();

  it('has one source, Oceana_Streams_127.0.0.1_3.5', () => {
    assert.equal(model.sourceId, 'Oceana_Streams_127.0.0.1_3.5');
    assert.deepEqual(
      model.sources().map((s) => s.sourceId),
      ['Oceana_Streams_127.0.0.1_3.5'],
    );
  });

  it('lists the 10 producers of the guide plus Admin_Admin_3.5, with complete headers', () => {
    assert.deepEqual(producers.map((p) => p.header.producerId).sort(), Object.keys(DIMENSIONS).sort());
    for (const p of producers) {
      assert.equal(p.header.sourceId, 'Oceana_Streams_127.0.0.1_3.5');
      assert.equal(p.header.streamType, 'SoD');
      assert.equal(p.header.version, '3.5');
      assert.ok(p.header.producerName.length > 0 && p.header.description.length > 0, p.header.producerId);
      assert.ok(
        p.header.producerId.startsWith(p.header.producerName === 'AdminData' ? 'Admin_' : p.header.producerName + '_'),
      );
      assert.deepEqual(p.locales, [...LOCALES]);
    }
  });

  it('names dimensions exactly as the routing list of notes.md', () => {
    for (const p of producers) {
      assert.deepEqual(
        p.dimensions.map((d) => d.name),
        DIMENSIONS[p.header.producerId],
        p.header.producerId,
      );
      for (const d of p.dimensions)
        assert.ok(d.type && d.displayName && d.description, `${p.header.producerId}.${d.name}`);
    }
  });

  it('carries every measure named in the guide samples', () => {
    for (const [producerId, names] of Object.entries(GUIDE_MEASURES)) {
      const declared = new Set(model.producer(producerId)?.measures.map((m) => m.name));
      const missing = names.filter((n) => !declared.has(n));
      assert.deepEqual(missing, [], producerId);
    }
  });

  it('describes each measure with a valid type, a format, values, display name and description; names are unique', () => {
    for (const p of producers) {
      const names = p.measures.map((m) => m.name);
      assert.equal(new Set(names).size, names.length, p.header.producerId);
      for (const m of p.measures) {
        const where = `${p.header.producerId}.${m.name}`;
        assert.ok(TYPES.has(m.type), where);
        assert.equal(typeof m.format, 'string', where);
        assert.ok(Array.isArray(m.values), where);
        assert.ok(m.displayName.length > 0 && m.displayName !== m.name, where);
        assert.ok(m.description.length > 10, where);
      }
    }
  });

  it('types the guide measures as their wire values suggest', () => {
    const agent = model.producer('Agent_SoD_3.5') as ProducerDescriptor;
    const type = (name: string): string | undefined => agent.measures.find((m) => m.name === name)?.type;
    assert.equal(type('offered'), 'NUMBER');
    assert.equal(type('idleTimeDuration'), 'DURATION');
    assert.equal(type('loginTimeStamp'), 'DATE');
    assert.equal(type('lastStateChangeTimestamp'), 'TIME_IN_STATE');
    assert.equal(type('agentState'), 'STRING');
    assert.deepEqual(agent.measures.find((m) => m.name === 'agentState')?.values, [
      'LOGGED_OUT',
      'PENDING_LOGIN',
      'NOT_READY',
      'PENDING_NOT_READY',
      'READY',
    ]);
    assert.equal(type('workLimit'), 'NUMBER');
  });

  it('returns undefined for unknown producers and fresh copies otherwise', () => {
    assert.equal(model.producer('Nope_SoD_3.5'), undefined);
    assert.equal(model.producer('__proto__'), undefined);
    const a = model.producer('Agent_SoD_3.5') as ProducerDescriptor;
    a.measures.length = 0;
    assert.ok((model.producer('Agent_SoD_3.5')?.measures.length ?? 0) > 0, 'a caller cannot damage the catalog');
  });
});
