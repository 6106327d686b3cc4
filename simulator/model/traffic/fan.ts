// One change applied to chosen views of a contact: the agent, its account on the contact's channel,
// agent-by-service, the agent's groups, its site, the routing service, its group, and the contact
// detail record. The bit masks name which; Store.add ignores a measure a producer does not declare.
import type { Contact, Sim } from './runtime';

export const enum To {
  Agent = 1,
  Account = 2,
  ByService = 4,
  Groups = 8,
  Site = 16,
  Service = 32,
  ServiceGroup = 64,
  Detail = 128,
}
/** The agent-keyed views of a contact. */
export const AGENT_SIDE = To.Agent | To.Account | To.ByService | To.Groups;
/** The routing-service views of a contact. */
export const QUEUE_SIDE = To.Service | To.ServiceGroup;
/** Where an alerting contact is counted. */
export const ALERTING = To.Account | To.ByService | To.Groups | To.Site | QUEUE_SIDE;

export function fan(sim: Sim, c: Contact, to: number, k: string, n: number): void {
  const st = sim.store;
  const a = c.agent;
  if (a !== null) {
    if (to & To.Agent) st.add(a.ent, k, n);
    if (to & To.Account) {
      const e = a.accounts[c.service.info.channel];
      if (e) st.add(e, k, n);
    }
    if (to & To.ByService && c.ra !== null) st.add(c.ra, k, n);
    if (to & To.Groups) for (const g of a.groups) st.add(g, k, n);
    if (to & To.Site) st.add(a.site, k, n);
  }
  if (to & To.Service) st.add(c.service.ent, k, n);
  if (to & To.ServiceGroup) st.add(c.service.group, k, n);
  if (to & To.Detail) st.add(c.cd, k, n);
}

export const secondsOf = (ms: number): number => Math.floor(ms / 1000);
