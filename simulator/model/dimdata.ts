// Dimension data served by the AdminData producer (GET …/Admin_Admin_3.5/dimdata/{name}/datatype/{name}):
// the records behind the ids that appear in the traffic, filtered to what the user may see (the
// agents of their groups, their groups and privileges; reason codes, routing points, routing
// services and channels are shared by everyone).
import { CHANNELS, type Channel } from './catalog/producers';
import { DIMDATA_KINDS, type DimDataKind } from './contract';
import type { AccessControl } from './visibility';
import type { AgentRt, Sim } from './traffic/runtime';

const CHANNEL_NAMES: Record<Channel, string> = {
  Voice: 'Voice',
  Chat: 'Chat',
  Email: 'Email',
  ShortMessageService: 'Short Message Service',
};
const KINDS: ReadonlySet<string> = new Set(DIMDATA_KINDS);

export function isDimDataKind(kind: string): kind is DimDataKind {
  return KINDS.has(kind);
}

export function dimData(kind: DimDataKind, username: string, sim: Sim, access: AccessControl): unknown[] {
  if (!access.hasUser(username)) return [];
  const world = sim.world;
  const visibleAgents = (): AgentRt[] => sim.agents.filter((a) => access.seesAgent(username, a.info.agentId));
  const heldAgentGroups = world.groups.filter((g) => access.holdsGroup(username, g.groupId));
  const heldServiceGroups = world.serviceGroups.filter((g) => access.holdsGroup(username, g.groupId));
  switch (kind) {
    case 'Agent':
      return visibleAgents().map((a) => {
        const site = world.sites[a.info.siteIndex];
        return {
          agentId: a.info.agentId,
          firstName: a.info.firstName,
          lastName: a.info.lastName,
          displayName: `${a.info.firstName} ${a.info.lastName}`,
          supervisorId: a.info.supervisorId,
          siteId: site?.siteId,
          siteName: site?.siteName,
          workLimit: String(a.info.workLimit),
          channels: a.info.channels.map((c) => CHANNELS[c]),
          groups: a.groups.map((g) => g.dim['groupId']),
        };
      });
    case 'Account':
      return visibleAgents().flatMap((a) =>
        a.info.accounts.map((acc) => ({
          accountId: acc.accountId,
          agentId: a.info.agentId,
          channelId: CHANNELS[acc.channel],
          address: acc.address,
        })),
      );
    case 'Group':
      return [
        ...heldAgentGroups.map((g) => ({
          groupId: g.groupId,
          groupName: g.groupName,
          groupType: 'AGENT',
          supervisorId: g.supervisorId,
        })),
        ...heldServiceGroups.map((g) => ({ groupId: g.groupId, groupName: g.groupName, groupType: 'ROUTING_SERVICE' })),
      ];
    case 'GroupMember':
      return [
        ...heldAgentGroups.flatMap((g) =>
          access.membersOf(g.groupId).map((agentId) => ({ groupId: g.groupId, agentId })),
        ),
        ...heldServiceGroups.flatMap((g) =>
          g.services.map((i) => ({ groupId: g.groupId, routingServiceName: world.services[i]?.name })),
        ),
      ];
    case 'GroupPrivilege':
      return access.groupsOf(username).map((groupId) => ({ username, groupId, privilege: 'SUPERVISOR' }));
    case 'ReasonCode':
      return world.reasonCodes.map((rc) => ({
        nrReasonCode: rc.code,
        nrReasonCodeName: rc.name,
        description: rc.description,
      }));
    case 'RoutingPoint':
      return world.services.map((s) => ({
        routingPointId: s.routingPointId,
        routingPointName: s.routingPointName,
        channelId: CHANNELS[s.channel],
        routingServiceName: s.name,
      }));
    case 'RoutingService':
      return world.services.map((s) => ({
        routingServiceName: s.name,
        channelId: CHANNELS[s.channel],
        routingPointId: s.routingPointId,
        groupId: world.serviceGroups[s.group]?.groupId,
        serviceLevelThreshold: s.threshold,
      }));
    case 'Channel':
      return CHANNELS.map((c) => ({ channelId: c, channelName: CHANNEL_NAMES[c] }));
  }
}
