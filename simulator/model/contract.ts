// The seam between the simulator's contact-center model (catalog, traffic, ground truth) and its
// server (REST, WebSocket, faults). The model knows nothing about HTTP or sockets; the server knows
// nothing about how agents behave. Values here are in *wire form*: what the Open Interface puts on
// the wire (20-digit zero-padded timestamps, "UNKNOWN", some numbers as strings).

import { DIMDATA_KINDS, LOCALES } from '../../lib/rest/endpoints';

export type WireValue = string | number | boolean | null;
export type Dimension = Record<string, string>;
export type Measures = Record<string, WireValue>;

/** One entity of a producer (an agent, a routing service, …) with the full current record. */
export interface Entity {
  dimension: Dimension;
  realtimeData: Measures;
}

/** A change the model made: only the measures that changed (a delta update), or a delete. */
export interface ModelDelta {
  producerId: string;
  dimension: Dimension;
  realtimeData: Measures;
  eventAction: 'UPSERT' | 'DELETE';
}

/** A supervisor that may log in; sees the agents of `groups` (ids of agent groups). */
export interface SimUser {
  username: string;
  password: string;
  groups: string[];
}

export type MeasureType = 'STRING' | 'NUMBER' | 'DURATION' | 'DATE' | 'TIME_IN_STATE';

/** Producer as served by GET /sources/{sourceId}/producers (guide: header, dimensions, measures, locales). */
export interface ProducerDescriptor {
  header: {
    sourceId: string;
    producerId: string;
    producerName: string;
    streamType: 'SoD';
    description: string;
    version: string;
  };
  dimensions: Array<{ name: string; type: string; value: string; displayName: string; description: string }>;
  measures: Array<{
    name: string;
    type: MeasureType;
    format: string;
    values: string[];
    displayName: string;
    description: string;
  }>;
  locales: string[];
}

/** GET .../dictionaries?locale= : translations of a producer's dimension and measure names. */
export interface Dictionary {
  locale: string;
  /** The locale the texts are really in (differs from `locale` where the model falls back to English). */
  contentLocale: string;
  producerId: string;
  description: string;
  dimensions: Array<{ name: string; displayName: string; description: string }>;
  measures: Array<{ name: string; displayName: string; description: string }>;
}

/** The guide's vocabulary, shared with the client so both sides name the same locales and kinds. */
export { DIMDATA_KINDS, LOCALES };
export type DimDataKind = (typeof DIMDATA_KINDS)[number];

/** What removing an agent from a group did: who lost sight of the agent, and which entities to delete for them. */
export interface VisibilityLoss {
  agentId: string;
  groupId: string;
  /** Users that saw the agent before and do not now. */
  lostBy: string[];
  /** Every entity keyed by that agent, per producer (the server sends DELETE for those a user subscribed to). */
  entities: Array<{ producerId: string; dimension: Dimension }>;
}

export interface ModelOptions {
  /** Seed of the pseudo-random generator: the same seed gives the same catalog, entities and deltas. */
  seed: number;
  /** Number of agents (10 to 10,000+). */
  agents: number;
  /** Number of agent groups (the guide: up to 10). */
  groups?: number;
  /**
   * Supervisors; default: one supervisor `supervisor1`/`password1` seeing every group, plus a few seeing one group
   * each.
   */
  users?: SimUser[];
  /** Simulated clock start (epoch ms); default: now. */
  startTime?: number;
  /** Added by the model: agent ids to use first (e.g. "__proto__", "8881001"); the rest are generated. */
  agentIds?: string[];
  /** Added by the model: ContactDetail segments kept (the most recent ones); default 2,000. */
  contactDetailWindow?: number;
  /**
   * Added by the model: send a DELETE delta when a ContactDetail segment leaves the window; default false (silent, as
   * the guide never deletes CDRs).
   */
  announceEvictions?: boolean;
  /**
   * Added by the model: events simulated (without deltas) before the start so the pumpup looks lived-in; default 10 per
   * agent, at most 100,000.
   */
  warmupEvents?: number;
}

export interface TrafficModel {
  readonly sourceId: string;
  readonly users: readonly SimUser[];
  /** GET /sources body entries. */
  sources(): Array<{ sourceId: string; sourceName: string; description: string; version: string }>;
  /** Every producer (the 10 of the guide plus Admin_Admin_3.5). */
  producers(): ProducerDescriptor[];
  producer(producerId: string): ProducerDescriptor | undefined;
  /** Undefined for an unknown producer or locale. */
  dictionary(producerId: string, locale: string): Dictionary | undefined;
  /** Records of one dimension-data kind as the given user may see them; undefined for an unknown kind. */
  dimdata(kind: string, username: string): unknown[] | undefined;
  /** Current full records of a producer's entities that `username` may see: the pumpup and the ground truth. */
  entities(producerId: string, username: string): Entity[];
  /** Whether `username` may see this entity of this producer (O(1): it is called per delta per socket). */
  isVisible(producerId: string, dimension: Dimension, username: string): boolean;
  /** Advances the simulated contact center by `events` events (agent/contact transitions) and returns the deltas. */
  step(events: number, now?: number): ModelDelta[];
  /** Removes an agent from a group (the guide's delete case). Undefined if the agent is not in that group. */
  removeAgentFromGroup(agentId: string, groupId: string): VisibilityLoss | undefined;
  /** Adds an agent to a group (no event is sent, as in the guide). */
  addAgentToGroup(agentId: string, groupId: string): boolean;
}
