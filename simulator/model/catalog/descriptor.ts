// ProducerDescriptor as served by GET /sources/{sourceId}/producers: header, dimensions, measures, locales.
import { LOCALES, type ProducerDescriptor } from '../contract';
import { texts } from '../i18n/dictionary';
import { measureFormat, measureType } from './measure-kinds';
import { SOURCE_ID, VERSION, type ProducerSpec } from './producers';

export function describeProducer(spec: ProducerSpec): ProducerDescriptor {
  return {
    header: {
      sourceId: SOURCE_ID,
      producerId: spec.id,
      producerName: spec.name,
      streamType: spec.streamType,
      description: spec.description,
      version: VERSION,
    },
    // `value` mirrors the guide's message-format column ({"agentId":"agentId"}): the key's placeholder.
    dimensions: spec.dimensions.map((name) => ({
      name,
      type: 'String',
      value: name,
      ...texts(name, 'dimension', undefined, 'en'),
    })),
    measures: spec.measures.map((m) => ({
      name: m.name,
      type: measureType(m.kind),
      format: measureFormat(m.kind),
      values: m.values ? [...m.values] : [],
      ...texts(m.name, m.kind, m.values, 'en'),
    })),
    locales: [...LOCALES],
  };
}
