// The producers of the one source: ids, dimensions (names exactly as the routing list of notes.md)
// and measures. Measure names are every name that appears in the guide's samples plus the rest a
// contact-center data dictionary carries. English texts and translations live in ../i18n.
import { measures, type MeasureSpec } from './measure-kinds';

export const SOURCE_ID = 'Oceana_Streams_127.0.0.1_3.5';
export const SOURCE_NAME = 'Oceana_Streams';
export const VERSION = '3.5';

export const P = {
  agent: 'Agent_SoD_3.5',
  agentByAccount: 'AgentByAccount_SoD_3.5',
  agentGroup: 'AgentGroup_SoD_3.5',
  agentByReason: 'AgentByNotReadyReasonCode_SoD_3.5',
  contactDetail: 'ContactDetail_CDR_3.5',
  routingService: 'RoutingService_SoD_3.5',
  serviceByAgent: 'RoutingServiceByAgent_SoD_3.5',
  site: 'Site_SoD_3.5',
  vdn: 'VDN_SoD_3.5',
  serviceGroup: 'RoutingServiceGroup_SoD_3.5',
  admin: 'Admin_Admin_3.5',
} as const;

/** Who may see an entity: users whose groups hold the agent, users holding the group, everyone, nobody. */
export type Visibility = 'agent' | 'group' | 'public' | 'none';

export interface ProducerSpec {
  readonly id: string;
  readonly name: string;
  readonly streamType: 'SoD';
  readonly description: string;
  readonly dimensions: readonly string[];
  readonly measures: readonly MeasureSpec[];
  readonly visibility: Visibility;
}

export const CHANNELS = ['Voice', 'Chat', 'Email', 'ShortMessageService'] as const;
export type Channel = (typeof CHANNELS)[number];

export const AGENT_STATES = ['LOGGED_OUT', 'PENDING_LOGIN', 'NOT_READY', 'PENDING_NOT_READY', 'READY'] as const;
export const WORK_STATES = ['IDLE', 'AVAILABLE', 'BUSY', 'UNAVAILABLE'] as const;
export const ACCOUNT_STATES = ['LOGGED_OUT', 'NOT_READY', 'PENDING_NOT_READY', 'READY'] as const;
export const INITIAL_DISPOSITIONS = ['UNKNOWN', 'ANSWERED', 'ABANDONED', 'DISCONNECTED'] as const;
export const FINAL_DISPOSITIONS = [
  'UNKNOWN',
  'COMPLETED',
  'TRANSFERRED',
  'ABANDONED_IN_QUEUE',
  'ABANDONED_WHILE_ALERTING',
  'DISCONNECTED_FROM_HOLD',
  'DISCONNECTED_IN_ROUTING',
] as const;

// Counters and durations an agent accumulates over a contact; shared by the agent-keyed producers.
const CONTACT_COUNTS =
  'offered answered notAnswered abandonedFromAlerting completed transferred conferenced consults holds acw shortAcw longAcw';
const CONTACT_DURATIONS = 'alertDuration activeTimeDuration holdDuration acwDuration handlingDuration';
const STAFFING = 'agentsLoggedIn agentsReady agentsNotReady agentsBusy';
const QUEUE_GAUGES = 'contactsWaiting alerting active heldContacts contactsAtAgent';

const AGENT_MEASURES: MeasureSpec[] = [
  ...measures(
    'text',
    'agentId agentFirstName agentLastName agentDisplayName supervisorId supervisorFirstName supervisorLastName accountAddress nrReasonCode nrReasonCodeName',
  ),
  ...measures('enum', 'agentState', AGENT_STATES),
  ...measures('enum', 'workState', WORK_STATES),
  ...measures('countText', 'workLimit activeWorkCount'),
  ...measures('timestamp', 'loginTimeStamp agentLogoutTimeStamp lastStateReasonTimestamp lastWorkCodeChangeTimestamp'),
  ...measures('timeInState', 'lastStateChangeTimestamp'),
  ...measures('gauge', 'active'),
  // Every counter of the guide's scollins pumpup row.
  ...measures(
    'count',
    'offered answered notAnswered answeredAfterThreshold completed abandoned abandonedFromAlerting abandonedFromQueue abandonedAfterThreshold ' +
      'agentReady agentNotReady shortNotReady acw shortAcw longAcw acwExtended additionalWork adHoc holds longHolds disconnectsFromHold ' +
      'shortEngagements longEngagements blendedAlert blendedActive consults consultsInitiated consultsAccepted conferenced conferencedInitiated ' +
      'conferencedAccepted transferred transferredInitiated transferredInitiatedToAgent transferredInitiatedToService transferredAccepted ' +
      'transferredAcceptedFromAgent transferredAcceptedFromService transferredToAgent transferredToService observed observing coached coaching ' +
      'bargedIn bargedOut',
  ),
  ...measures(
    'duration',
    'agentLogonDuration agentNotReadyTimeDuration idleTimeDuration alertDuration ringTimeDuration blendedAlertDuration activeTimeDuration ' +
      'blendedActiveDuration totalActiveTimeDuration holdDuration totalHoldTimeDuration acwDuration additionalWorkDuration adHocDuration ' +
      'handlingDuration contacthandlingDuration totalDuration totalWaitTime abandonTimeDuration consultDuration consultedDuration consultingDuration ' +
      'observedDuration observingDuration coachedDuration coachingDuration bargedInDuration bargedOutDuration',
  ),
];

const AGENT_BY_ACCOUNT_MEASURES: MeasureSpec[] = [
  ...measures('text', 'accountAddress nrReasonCode nrReasonCodeName'),
  ...measures('enum', 'accountState', ACCOUNT_STATES),
  ...measures('countText', 'workLimit activeWorkCount'),
  ...measures('timestamp', 'loginTimeStamp agentLogoutTimeStamp lastStateReasonTimestamp'),
  ...measures('timeInState', 'lastStateChangeTimestamp'),
  ...measures('gauge', 'active alerting'),
  ...measures('count', 'accountReady accountNotReady replied ' + CONTACT_COUNTS),
  ...measures('duration', 'accountLogonDuration accountNotReadyTimeDuration idleTimeDuration ' + CONTACT_DURATIONS),
];

const AGENT_GROUP_MEASURES: MeasureSpec[] = [
  ...measures('text', 'groupName'),
  ...measures('gauge', STAFFING + ' agentsInAcw active alerting'),
  ...measures(
    'count',
    'agentReady agentNotReady answeredAfterThreshold longHolds disconnectsFromHold acwExtended shortEngagements longEngagements ' +
      'observed coached bargedIn ' +
      CONTACT_COUNTS,
  ),
  ...measures(
    'duration',
    'agentLogonDuration agentNotReadyTimeDuration idleTimeDuration totalWaitTime ' + CONTACT_DURATIONS,
  ),
];

const AGENT_BY_REASON_MEASURES: MeasureSpec[] = [
  ...measures('text', 'nrReasonCodeName'),
  ...measures('count', 'nrReasonCodeOccurrence shortNotReady'),
  ...measures('duration', 'nrReasonCodeDuration'),
  ...measures('timestamp', 'lastOccurrenceTimestamp'),
  ...measures('timeInState', 'lastStateChangeTimestamp'),
];

const CONTACT_DETAIL_MEASURES: MeasureSpec[] = [
  ...measures(
    'text',
    'contactId previousSegmentId ucid customerAddress agentId accountId siteId routingServiceName routingPointId workType',
  ),
  ...measures('enum', 'channelId', CHANNELS),
  ...measures('enum', 'direction', ['INBOUND']),
  ...measures('enum', 'initialDisposition', INITIAL_DISPOSITIONS),
  ...measures('enum', 'finalDisposition', FINAL_DISPOSITIONS),
  ...measures('timestamp', 'startTimestamp offeredTimestamp answeredTimestamp endTimestamp'),
  ...measures('count', 'segmentSequence holds consults conferenced transferred notAnswered'),
  ...measures('duration', 'queueDuration alertDuration activeTimeDuration holdDuration acwDuration handlingDuration'),
];

const ROUTING_SERVICE_MEASURES: MeasureSpec[] = [
  ...measures('enum', 'channelId', CHANNELS),
  ...measures('text', 'routingPointId'),
  ...measures('gauge', QUEUE_GAUGES + ' ' + STAFFING),
  ...measures('timeInState', 'oldestContactWaitTime'),
  ...measures('seconds', 'ewt serviceLevelThreshold maxWaitTime'),
  ...measures('duration', 'totalWaitTime abandonTimeDuration ' + CONTACT_DURATIONS),
  ...measures('percent', 'serviceLevel'),
  ...measures(
    'count',
    'offered answered answeredAfterThreshold abandoned abandonedFromQueue abandonedFromAlerting abandonedAfterThreshold notAnswered ' +
      'completed transferred transferredToService holds acw shortAcw longAcw',
  ),
];

const SERVICE_BY_AGENT_MEASURES: MeasureSpec[] = [
  ...measures('gauge', 'active alerting'),
  ...measures(
    'count',
    'answeredAfterThreshold shortEngagements longEngagements transferredAccepted transferredAcceptedFromService ' +
      CONTACT_COUNTS,
  ),
  ...measures('duration', CONTACT_DURATIONS),
  ...measures('timestamp', 'lastOfferedTimestamp'),
];

const SITE_MEASURES: MeasureSpec[] = [
  ...measures('gauge', STAFFING + ' active alerting'),
  ...measures('count', 'offered answered completed replied transferred abandonedFromAlerting notAnswered holds acw'),
  ...measures('duration', 'agentLogonDuration ' + CONTACT_DURATIONS),
];

const VDN_MEASURES: MeasureSpec[] = [
  ...measures('enum', 'channelId', CHANNELS),
  ...measures('text', 'routingServiceName'),
  ...measures('count', 'routePointOffered routePointHandled routePointDisconnects routePointBusies'),
  ...measures('duration', 'routingDuration'),
  ...measures('timestamp', 'lastArrivalTimestamp'),
];

const SERVICE_GROUP_MEASURES: MeasureSpec[] = [
  ...measures('text', 'groupName'),
  ...measures('gauge', QUEUE_GAUGES),
  ...measures('timeInState', 'oldestContactWaitTime'),
  ...measures(
    'count',
    'offered answered answeredAfterThreshold abandoned abandonedAfterThreshold notAnswered completed transferred acw shortAcw longAcw',
  ),
  ...measures('duration', 'totalWaitTime abandonTimeDuration ' + CONTACT_DURATIONS),
];

export const PRODUCERS: readonly ProducerSpec[] = [
  spec(P.agent, 'Agent', 'Agent measures since start of day (AGENTMEASURES)', ['agentId'], AGENT_MEASURES, 'agent'),
  spec(
    P.agentByAccount,
    'AgentByAccount',
    'Agent measures per account (one account per channel) since start of day (AGENTBYACCOUNTMEASURES)',
    ['agentId', 'accountId', 'channelId'],
    AGENT_BY_ACCOUNT_MEASURES,
    'agent',
  ),
  spec(
    P.agentGroup,
    'AgentGroup',
    'Agent group measures since start of day (AGENTGROUPMEASURES)',
    ['groupId'],
    AGENT_GROUP_MEASURES,
    'group',
  ),
  spec(
    P.agentByReason,
    'AgentByNotReadyReasonCode',
    'Agent measures per Not Ready reason code since start of day (AGENTBYNOTREADYREASONCODEMEASURES)',
    ['agentId', 'nrReasonCode'],
    AGENT_BY_REASON_MEASURES,
    'agent',
  ),
  spec(
    P.contactDetail,
    'ContactDetail',
    'Contact detail records, one per contact segment (CONTACTDETAILMEASURES)',
    ['segmentId'],
    CONTACT_DETAIL_MEASURES,
    'public',
  ),
  spec(
    P.routingService,
    'RoutingService',
    'Routing service measures since start of day (ROUTINGSERVICEMEASURES)',
    ['routingServiceName'],
    ROUTING_SERVICE_MEASURES,
    'public',
  ),
  spec(
    P.serviceByAgent,
    'RoutingServiceByAgent',
    'Agent measures per routing service since start of day (ROUTINGSERVICEBYAGENTMEASURES)',
    ['agentId', 'routingServiceName'],
    SERVICE_BY_AGENT_MEASURES,
    'agent',
  ),
  spec(
    P.site,
    'Site',
    'Site measures since start of day (SITEMEASURES)',
    ['siteName', 'siteId'],
    SITE_MEASURES,
    'public',
  ),
  spec(
    P.vdn,
    'VDN',
    'Routing point (VDN) measures since start of day (ROUTINGPOINTMEASURES)',
    ['routingPointId'],
    VDN_MEASURES,
    'public',
  ),
  spec(
    P.serviceGroup,
    'RoutingServiceGroup',
    'Routing service group measures since start of day (ROUTINGSERVICEGROUPMEASURES)',
    ['groupId'],
    SERVICE_GROUP_MEASURES,
    'group',
  ),
  spec(
    P.admin,
    'AdminData',
    'Administrative dimension data: agents, accounts, groups, reason codes, routing points, routing services, channels',
    [],
    [],
    'none',
  ),
];

function spec(
  id: string,
  name: string,
  description: string,
  dimensions: string[],
  measureSpecs: MeasureSpec[],
  visibility: Visibility,
): ProducerSpec {
  return { id, name, streamType: 'SoD', description, dimensions, measures: measureSpecs, visibility };
}

const BY_ID = new Map<string, ProducerSpec>(PRODUCERS.map((p) => [p.id, p]));

export function producerSpec(producerId: string): ProducerSpec | undefined {
  return BY_ID.get(producerId);
}
