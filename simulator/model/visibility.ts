// Who sees what. A supervisor holds groups (agent groups and routing-service groups); the agents of
// the agent groups they hold are theirs. Per user, a count of held groups containing each agent is
// kept, so isVisible is one Map lookup and a membership change updates only the affected users.
// Everything keyed by a name from outside (usernames, agent and group ids) is in a Map or Set, so a
// user or agent called "__proto__" is just another key.
import type { Dimension, SimUser } from './contract';
import type { Visibility } from './catalog/producers';

interface UserState {
  readonly user: SimUser;
  readonly groups: ReadonlySet<string>;
  /** agentId → number of this user's groups that contain the agent. */
  readonly agents: Map<string, number>;
}

export class AccessControl {
  private readonly users = new Map<string, UserState>();
  /** groupId → users holding it. */
  private readonly holders = new Map<string, UserState[]>();
  /** agent groupId → member agent ids. */
  private readonly members = new Map<string, Set<string>>();

  constructor(users: readonly SimUser[], agentGroups: ReadonlyArray<{ groupId: string; agentIds: readonly string[] }>) {
    for (const g of agentGroups) this.members.set(g.groupId, new Set(g.agentIds));
    for (const user of users) {
      const state: UserState = { user, groups: new Set(user.groups), agents: new Map() };
      this.users.set(user.username, state);
      for (const groupId of state.groups) {
        let list = this.holders.get(groupId);
        if (!list) this.holders.set(groupId, (list = []));
        list.push(state);
        for (const agentId of this.members.get(groupId) ?? [])
          state.agents.set(agentId, (state.agents.get(agentId) ?? 0) + 1);
      }
    }
  }

  hasUser(username: string): boolean {
    return this.users.has(username);
  }

  /** O(1): one or two Map/Set lookups. */
  isVisible(visibility: Visibility | undefined, dimension: Dimension, username: string): boolean {
    const state = this.users.get(username);
    if (state === undefined || visibility === undefined) return false;
    switch (visibility) {
      case 'agent':
        return state.agents.has(dimension['agentId'] as string);
      case 'group':
        return state.groups.has(dimension['groupId'] as string);
      case 'public':
        return true;
      case 'none':
        return false;
    }
  }

  seesAgent(username: string, agentId: string): boolean {
    return this.users.get(username)?.agents.has(agentId) ?? false;
  }

  holdsGroup(username: string, groupId: string): boolean {
    return this.users.get(username)?.groups.has(groupId) ?? false;
  }

  groupsOf(username: string): readonly string[] {
    const state = this.users.get(username);
    return state ? [...state.groups] : [];
  }

  membersOf(groupId: string): readonly string[] {
    return [...(this.members.get(groupId) ?? [])];
  }

  /** Removes a membership; returns the users who no longer see the agent, or undefined if it was not a member. */
  remove(agentId: string, groupId: string): string[] | undefined {
    const members = this.members.get(groupId);
    if (!members?.delete(agentId)) return undefined;
    const lostBy: string[] = [];
    for (const state of this.holders.get(groupId) ?? []) {
      const n = (state.agents.get(agentId) ?? 0) - 1;
      if (n > 0) state.agents.set(agentId, n);
      else {
        state.agents.delete(agentId);
        lostBy.push(state.user.username);
      }
    }
    return lostBy;
  }

  /** Adds a membership of an existing agent group; false if the group is unknown or the agent already a member. */
  add(agentId: string, groupId: string): boolean {
    const members = this.members.get(groupId);
    if (!members || members.has(agentId)) return false;
    members.add(agentId);
    for (const state of this.holders.get(groupId) ?? [])
      state.agents.set(agentId, (state.agents.get(agentId) ?? 0) + 1);
    return true;
  }
}
