// What the client needs to know about a producer to route and normalize its frames: its declared
// dimension names (to canonicalize key case, groupid → groupId, and to route short-form frames by
// their dimension keys) and its measure types (to convert numeric strings only where the producer
// declares a number). Built from GET /sources/{s}/producers; a built-in table of the guide's
// dimension keys serves when the server's descriptor lacks them.

import { isHostileKey } from './decode';

export interface ProducerSchema {
  producerId: string;
  /** Declared dimension names, sorted. */
  dimensions: readonly string[];
  /** Wire key, exact or lower-cased → declared name (prototype-less). */
  dimensionNames: Readonly<Record<string, string>>;
  /** Sorted lower-cased dimension names joined by ',': what short-form routing compares. */
  signature: string;
  /** Measure name → upper-cased declared type (prototype-less); empty when unknown. */
  measureTypes: Readonly<Record<string, string>>;
}

/** The dimension keys of each producer of the guide, by the name part of the producer id (notes.md). */
export const KNOWN_DIMENSIONS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  Agent: ['agentId'],
  AgentByAccount: ['agentId', 'accountId', 'channelId'],
  AgentByNotReadyReasonCode: ['agentId', 'nrReasonCode'],
  RoutingServiceByAgent: ['agentId', 'routingServiceName'],
  RoutingService: ['routingServiceName'],
  VDN: ['routingPointId'],
  Site: ['siteName', 'siteId'],
  ContactDetail: ['segmentId'],
  AgentGroup: ['groupId'],
  RoutingServiceGroup: ['groupId'],
});

/** "AgentGroup_SoD_3.5" → "AgentGroup". */
export function producerName(producerId: string): string {
  const i = producerId.indexOf('_');
  return i < 0 ? producerId : producerId.slice(0, i);
}

export function buildSchema(
  producerId: string,
  dimensions: readonly string[],
  measures: ReadonlyArray<{ name: string; type?: string }>,
): ProducerSchema {
  // A declared "__proto__" or "constructor" would let a frame's "__PROTO__" be renamed into one: the
  // decoder drops those keys, and so does the schema.
  const sorted = [...new Set(dimensions)].filter((name) => !isHostileKey(name)).sort();
  const dimensionNames = Object.create(null) as Record<string, string>;
  for (const name of sorted) {
    dimensionNames[name.toLowerCase()] = name;
    dimensionNames[name] = name;
  }
  const measureTypes = Object.create(null) as Record<string, string>;
  for (const m of measures) if (m.name) measureTypes[m.name] = (m.type ?? '').toUpperCase();
  return {
    producerId,
    dimensions: sorted,
    dimensionNames,
    signature: signatureOf(sorted),
    measureTypes,
  };
}

/** A schema from a producer descriptor as served by the REST interface; null when it is unusable. */
export function schemaFromDescriptor(descriptor: unknown): ProducerSchema | null {
  if (!descriptor || typeof descriptor !== 'object') return null;
  const d = descriptor as Record<string, unknown>;
  const header = (d.header && typeof d.header === 'object' ? d.header : d) as Record<string, unknown>;
  const producerId = typeof header.producerId === 'string' ? header.producerId : undefined;
  if (!producerId) return null;
  const dims = namesOf(d.dimensions);
  const measures = Array.isArray(d.measures)
    ? d.measures
        .filter(
          (m): m is Record<string, unknown> =>
            !!m && typeof m === 'object' && typeof (m as Record<string, unknown>).name === 'string',
        )
        .map((m) => ({ name: m.name as string, type: typeof m.type === 'string' ? m.type : undefined }))
    : [];
  return buildSchema(producerId, dims.length ? dims : knownDimensions(producerId), measures);
}

/** A schema from the built-in table only (no measure types: numeric strings stay strings). */
export function fallbackSchema(producerId: string): ProducerSchema {
  return buildSchema(producerId, knownDimensions(producerId), []);
}

/** Sorted lower-cased keys joined by ','. */
export function signatureOf(keys: Iterable<string>): string {
  return [...keys]
    .map((k) => k.toLowerCase())
    .sort()
    .join(',');
}

/**
 * Renames wire keys to the declared names. Returns `dimension` itself when nothing needs renaming
 * (the common case: no allocation), else a new prototype-less object.
 */
export function canonicalizeDimension(
  dimension: Record<string, string>,
  schema: ProducerSchema,
): Record<string, string> {
  const names = schema.dimensionNames;
  let renamed: Record<string, string> | null = null;
  for (const key in dimension) {
    if (names[key] === key) continue;
    const canonical = names[key.toLowerCase()];
    if (canonical === undefined || canonical === key) continue;
    renamed ??= Object.create(null) as Record<string, string>;
  }
  if (renamed === null) return dimension;
  for (const key in dimension) {
    const canonical = names[key] ?? names[key.toLowerCase()] ?? key;
    renamed[canonical] = dimension[key] as string;
  }
  return renamed;
}

function namesOf(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const entry of list) {
    if (typeof entry === 'string') out.push(entry);
    else if (entry && typeof entry === 'object' && typeof (entry as Record<string, unknown>).name === 'string')
      out.push((entry as Record<string, string>).name as string);
  }
  return out;
}

/** The guide's dimension keys of a producer; none for an unknown name (`toString`, `constructor`: own keys only). */
function knownDimensions(producerId: string): readonly string[] {
  const name = producerName(producerId);
  return Object.hasOwn(KNOWN_DIMENSIONS, name) ? (KNOWN_DIMENSIONS[name] ?? []) : [];
}
