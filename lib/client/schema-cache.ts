// Producer descriptors, fetched once per source (GET /sources/{s}/producers) and turned into the
// schemas routing and normalization need. A failed fetch is not cached: the next pass retries it.
import type { ProducerSchema } from '../frames/producer-schema';
import { schemaFromDescriptor } from '../frames/producer-schema';

export class SchemaCache {
  private readonly bySource = new Map<string, Promise<Map<string, ProducerSchema>>>();

  constructor(private readonly fetchProducers: (sourceId: string) => Promise<unknown[]>) {}

  /** The producer's schema, or undefined when the server does not list it. */
  async get(sourceId: string, producerId: string): Promise<ProducerSchema | undefined> {
    let pending = this.bySource.get(sourceId);
    if (!pending) {
      pending = this.fetchProducers(sourceId).then((list) => {
        const map = new Map<string, ProducerSchema>();
        for (const entry of list) {
          const schema = schemaFromDescriptor(entry);
          if (schema) map.set(schema.producerId, schema);
        }
        return map;
      });
      this.bySource.set(sourceId, pending);
      pending.catch(() => {
        if (this.bySource.get(sourceId) === pending) this.bySource.delete(sourceId);
      });
    }
    return (await pending).get(producerId);
  }
}
