// The static contact center: agents (with accounts per channel and skills), agent groups, sites,
// routing services with their routing points (VDNs) and routing-service groups, reason codes.
// Generated from the seed, so the same seed gives the same people and ids. Ids that look numeric
// (voice accounts, group ids, routing points, reason codes) are strings throughout.
import type { Prng } from './prng';
import { CHANNELS, type Channel } from './catalog/producers';

export interface AgentInfo {
  readonly index: number;
  readonly agentId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly supervisorId: string;
  readonly supervisorFirstName: string;
  readonly supervisorLastName: string;
  readonly siteIndex: number;
  /** Indexes into CHANNELS; Voice always first. */
  readonly channels: readonly number[];
  readonly accounts: ReadonlyArray<{ readonly channel: number; readonly accountId: string; readonly address: string }>;
  /** Indexes of the routing services the agent is skilled for. */
  readonly services: readonly number[];
  readonly workLimit: number;
  /** The group the agent is first administered in. */
  readonly group: number;
}

export interface GroupInfo {
  readonly groupId: string;
  readonly groupName: string;
  readonly supervisorId: string;
  readonly supervisorFirstName: string;
  readonly supervisorLastName: string;
}

export interface ServiceInfo {
  readonly index: number;
  readonly name: string;
  readonly channel: number;
  readonly topic: number;
  readonly routingPointId: string;
  readonly routingPointName: string;
  /** Index of its routing-service group. */
  readonly group: number;
  /** Service level threshold in seconds. */
  readonly threshold: number;
}

export interface ServiceGroupInfo {
  readonly groupId: string;
  readonly groupName: string;
  readonly services: readonly number[];
}

export interface SiteInfo {
  readonly siteName: string;
  readonly siteId: string;
}

export interface ReasonCode {
  readonly code: string;
  readonly name: string;
  readonly description: string;
}

export interface World {
  readonly agents: readonly AgentInfo[];
  readonly groups: readonly GroupInfo[];
  readonly services: readonly ServiceInfo[];
  readonly serviceGroups: readonly ServiceGroupInfo[];
  readonly sites: readonly SiteInfo[];
  /** Index 0 is the default code "0" that login sets. */
  readonly reasonCodes: readonly ReasonCode[];
}

/** What an agent's nrReasonCode / nrReasonCodeName show while Ready (as in the guide's sample). */
export const READY_REASON = 'NOT_AVAILABLE';

export const REASON_CODES: readonly ReasonCode[] = [
  { code: '0', name: 'DEFAULT', description: 'Default code set by the system at login' },
  { code: '101', name: 'Lunch', description: 'Lunch break' },
  { code: '102', name: 'Break', description: 'Short break' },
  { code: '103', name: 'Meeting', description: 'Team meeting' },
  { code: '104', name: 'Training', description: 'Training session' },
  { code: '105', name: 'Personal', description: 'Personal time' },
  { code: '106', name: 'Coaching', description: 'One-to-one coaching' },
  { code: '107', name: 'System Issue', description: 'Desktop or telephony problem' },
  { code: '108', name: 'Back Office', description: 'Back-office work' },
];

const TOPICS = ['', 'Sales', 'Support', 'Billing'] as const;
const TOPIC_GROUP_NAMES = ['General Services', 'Sales Services', 'Support Services', 'Billing Services'] as const;
const CHANNEL_SERVICE_WORD: Record<Channel, string> = {
  Voice: 'Voice',
  Chat: 'Chat',
  Email: 'Email',
  ShortMessageService: 'SMS',
};
/** Service level thresholds in seconds per channel. */
const CHANNEL_THRESHOLD = [20, 60, 3600, 300] as const;
/** Routable-address suffix of the digital accounts, as in the guide's "jsmith_OCPChatRoutableAddress". */
const ACCOUNT_SUFFIX = [
  '',
  '_OCPChatRoutableAddress',
  '_OCPEmailRoutableAddress',
  '_OCPShortMessageServiceRoutableAddress',
] as const;

const SITES: readonly SiteInfo[] = [
  { siteName: 'Galway', siteId: '4981' },
  { siteName: 'Dublin', siteId: '4982' },
  { siteName: 'Denver', siteId: '4983' },
];

const FIRST_NAMES = [
  'Aoife',
  'Liam',
  'Maria',
  'Noah',
  'Yuki',
  'Lukas',
  'Sofia',
  'Kenji',
  'Emma',
  'Mateo',
  'Priya',
  'Oliver',
  'Chloe',
  'Ivan',
  'Fatima',
  'Hannah',
  'Diego',
  'Sara',
  'Tomás',
  'Mei',
  'Jonas',
  'Grace',
  'Ahmed',
  'Lena',
  'Carlos',
  'Niamh',
  'Elif',
  'Ravi',
];
const LAST_NAMES = [
  'Murphy',
  'Kelly',
  'Schmidt',
  'Tanaka',
  'García',
  'Rossi',
  'Novak',
  'Walsh',
  'Müller',
  'Silva',
  'Kim',
  'Dubois',
  'Byrne',
  'Larsen',
  'Okafor',
  'Nowak',
  'Ryan',
  'Suzuki',
  'Fischer',
  'Costa',
  'Brennan',
  'Patel',
  'Moreau',
  'Doyle',
  'Ivanova',
];

export interface WorldOptions {
  agents: number;
  groups: number;
  /** Agent ids to use first (validated by the caller); the rest are generated. */
  agentIds?: readonly string[];
}

interface Person {
  readonly id: string;
  readonly first: string;
  readonly last: string;
}

/** A supervisor with an id like the guide's "tmorris" (initial + last name), unique among those taken. */
function person(prng: Prng, taken: Set<string>): Person {
  const first = prng.pick(FIRST_NAMES);
  const last = prng.pick(LAST_NAMES);
  const base = (first.charAt(0) + last)
    .normalize('NFD')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
  let id = base;
  for (let n = 2; taken.has(id); n++) id = base + n;
  taken.add(id);
  return { id, first, last };
}

/** Agent ids: the given ones, then the guide's scollins and jsmith (10 agents or more), then agent0001… */
function agentIds(options: WorldOptions): string[] {
  const ids = [...(options.agentIds ?? [])].slice(0, options.agents);
  const taken = new Set(ids);
  const wanted = options.agents >= 10 ? ['scollins', 'jsmith'] : [];
  for (const id of wanted) {
    if (ids.length < options.agents && !taken.has(id)) {
      ids.push(id);
      taken.add(id);
    }
  }
  const width = Math.max(4, String(options.agents).length);
  for (let n = 1; ids.length < options.agents; n++) {
    const id = 'agent' + String(n).padStart(width, '0');
    if (!taken.has(id)) {
      ids.push(id);
      taken.add(id);
    }
  }
  return ids;
}

export function buildWorld(prng: Prng, options: WorldOptions): World {
  const services: ServiceInfo[] = [];
  for (let topic = 0; topic < TOPICS.length; topic++) {
    for (let channel = 0; channel < CHANNELS.length; channel++) {
      const index = services.length;
      const name = `${TOPICS[topic]}${CHANNEL_SERVICE_WORD[CHANNELS[channel] as Channel]}RoutingService`;
      services.push({
        index,
        name,
        channel,
        topic,
        routingPointId: String(5001 + index),
        routingPointName: `${TOPICS[topic] || 'Main'} ${CHANNEL_SERVICE_WORD[CHANNELS[channel] as Channel]} Entry`,
        group: topic,
        threshold: CHANNEL_THRESHOLD[channel] as number,
      });
    }
  }
  // Group ids 10034… so that the guide's sample id "10037" exists.
  const serviceGroups: ServiceGroupInfo[] = TOPICS.map((_, topic) => ({
    groupId: String(10034 + topic),
    groupName: TOPIC_GROUP_NAMES[topic] as string,
    services: services.filter((s) => s.topic === topic).map((s) => s.index),
  }));

  const taken = new Set<string>(['tmorris']);
  const groups: GroupInfo[] = [];
  for (let g = 0; g < options.groups; g++) {
    const lead = g === 0 ? { id: 'tmorris', first: 'Tommy', last: 'Morris' } : person(prng, taken);
    const topicName = TOPICS[1 + (g % 3)] as string;
    groups.push({
      groupId: String(10001 + g),
      groupName: `${topicName} Team ${Math.floor(g / 3) + 1}`,
      supervisorId: lead.id,
      supervisorFirstName: lead.first,
      supervisorLastName: lead.last,
    });
  }

  const siteCount = options.agents < 50 ? 2 : SITES.length;
  const ids = agentIds(options);
  const agents: AgentInfo[] = ids.map((agentId, index) => {
    const group = index % options.groups;
    const lead = groups[group] as GroupInfo;
    let first: string;
    let last: string;
    let channels: number[];
    if (agentId === 'scollins') {
      [first, last, channels] = ['Siobhan', 'Collins', [0, 1, 2]];
    } else if (agentId === 'jsmith') {
      [first, last, channels] = ['John', 'Smith', [0, 1, 3]];
    } else {
      first = prng.pick(FIRST_NAMES);
      last = prng.pick(LAST_NAMES);
      channels = [0];
      if (prng.chance(0.7)) channels.push(1);
      if (prng.chance(0.4)) channels.push(2);
      if (prng.chance(0.3)) channels.push(3);
    }
    const voiceAccount =
      agentId === 'jsmith'
        ? '8501014'
        : agentId === 'scollins'
          ? '8501013'
          : /^\d+$/.test(agentId)
            ? agentId
            : String(8502001 + index);
    const accounts = channels.map((channel) => ({
      channel,
      accountId: channel === 0 ? voiceAccount : agentId + ACCOUNT_SUFFIX[channel],
      address: channel === 0 ? `sip:${voiceAccount}@cc.example.com` : `${agentId}@cc.example.com`,
    }));
    // Teams specialise in the topic of their group; most agents also take general contacts.
    const topics = [1 + (group % 3)];
    if (prng.chance(0.6)) topics.push(0);
    const skills: number[] = [];
    for (const s of services) if (topics.includes(s.topic) && channels.includes(s.channel)) skills.push(s.index);
    const digital = channels.length > 1;
    return {
      index,
      agentId,
      firstName: first,
      lastName: last,
      supervisorId: lead.supervisorId,
      supervisorFirstName: lead.supervisorFirstName,
      supervisorLastName: lead.supervisorLastName,
      // Teams are spread over the sites, so a site's figures are not a copy of one group's.
      siteIndex: prng.int(siteCount),
      channels,
      accounts,
      services: skills,
      workLimit: agentId === 'scollins' || !digital ? 1 : prng.range(1, 3),
      group,
    };
  });

  return { agents, groups, services, serviceGroups, sites: SITES.slice(0, siteCount), reasonCodes: REASON_CODES };
}
