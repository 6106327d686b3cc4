// A producer descriptor (guide: header, dimensions, measures, locales) reduced to what the editor's
// dropdowns show. Read defensively: the server's JSON is untrusted and fields may be missing.

export interface ProducerSummary {
  producerId: string;
  producerName: string;
  sourceId: string;
  description: string;
  dimensions: Array<{ name: string; displayName: string }>;
  measures: Array<{ name: string; displayName: string; type: string }>;
  locales: string[];
}

type Loose = Record<string, unknown>;

function record(value: unknown): Loose {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : {};
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function named(list: unknown): Loose[] {
  return Array.isArray(list) ? list.map(record).filter((item) => str(item.name) !== '') : [];
}

export function summarizeProducer(descriptor: unknown): ProducerSummary {
  const p = record(descriptor);
  // The header carries the ids; tolerate a flat descriptor as well.
  const header = p.header && typeof p.header === 'object' ? record(p.header) : p;
  return {
    producerId: str(header.producerId),
    producerName: str(header.producerName),
    sourceId: str(header.sourceId),
    description: str(header.description),
    dimensions: named(p.dimensions).map((d) => ({ name: str(d.name), displayName: str(d.displayName) || str(d.name) })),
    measures: named(p.measures).map((m) => ({
      name: str(m.name),
      displayName: str(m.displayName) || str(m.name),
      type: str(m.type),
    })),
    locales: Array.isArray(p.locales) ? p.locales.filter((l): l is string => typeof l === 'string') : [],
  };
}
