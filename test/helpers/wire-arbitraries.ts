// fast-check arbitraries of what arrives on the wire: hostile keys, wire scalars, well-formed data
// frames in either encoding and envelope, and plain garbage.
import fc from 'fast-check';

/** Keys that change prototypes or shadow Object methods when assigned into an ordinary object. */
export const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
];

/** A key: usually ordinary, often hostile. */
export const wireKey = fc.oneof(
  { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_KEYS) },
);

/** The values measures take on the wire: strings (numeric, timestamps, UNKNOWN), numbers, booleans, null. */
export const wireScalar = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('UNKNOWN', '00000001496919456478', '0', '12'),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x)), // JSON has no -0
  fc.boolean(),
  fc.constant(null),
);

export const dimensionArb = fc.dictionary(wireKey, fc.string({ minLength: 1, maxLength: 16 }), {
  minKeys: 1,
  maxKeys: 4,
});
export const measuresArb = fc.dictionary(wireKey, wireScalar, { maxKeys: 8 });

export interface FrameParts {
  dimension: Record<string, string>;
  realtimeData: Record<string, unknown>;
  asStrings: boolean;
  long: boolean;
  pumpup: boolean | undefined;
  eventAction: 'UPSERT' | 'DELETE' | undefined;
}

export const framePartsArb: fc.Arbitrary<FrameParts> = fc.record({
  dimension: dimensionArb,
  realtimeData: measuresArb,
  asStrings: fc.boolean(),
  long: fc.boolean(),
  pumpup: fc.option(fc.boolean(), { nil: undefined }),
  eventAction: fc.option(fc.constantFrom('UPSERT' as const, 'DELETE' as const), { nil: undefined }),
});

/**
 * The JSON text of a data frame. Built by hand rather than JSON.stringify of an object literal: an
 * object literal would swallow a "__proto__" key, the wire does not.
 */
export function frameText(p: FrameParts): string {
  const obj = (o: Record<string, unknown>): string =>
    `{${Object.keys(o)
      .map((k) => `${JSON.stringify(k)}:${JSON.stringify(o[k])}`)
      .join(',')}}`;
  const dim = obj(p.dimension);
  const data = obj(p.realtimeData);
  const fields = [
    `"dimension":${p.asStrings ? JSON.stringify(dim) : dim}`,
    `"realtimeData":${p.asStrings ? JSON.stringify(data) : data}`,
    '"heartbeat":false',
  ];
  if (p.pumpup !== undefined) fields.push(`"pumpup":${p.pumpup}`);
  if (p.long) {
    fields.push(
      '"sourceId":"Oceana_Streams_127.0.0.1_3.5"',
      '"producerId":"Agent_SoD_3.5"',
      '"pumpupIdentifier":null',
      '"extra":{"x":1}',
    );
    if (p.eventAction !== undefined) fields.push(`"eventAction":"${p.eventAction}"`);
  }
  return `{${fields.join(',')}}`;
}

/** Objects made with Object.create(null) and filled key by key, so hostile keys are kept as data. */
export function nullProtoCopy(o: Record<string, unknown>): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(o)) out[k] = o[k];
  return out;
}

/** Arbitrary JSON nested `depth` levels deep (arrays or objects). */
export function deeplyNested(depth: number, leaf = '1'): string {
  let text = leaf;
  for (let i = 0; i < depth; i++) text = i % 2 ? `[${text}]` : `{"a":${text}}`;
  return text;
}
