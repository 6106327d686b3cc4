// Read-only REST resources: sources, producers, dictionaries and dimension data.
import { DIMDATA_KINDS, LOCALES, type ProducerDescriptor } from '../model/contract';
import { sendError, sendJson } from '../http/respond';
import { ADMIN_PRODUCER_ID, type RestCall } from './context';

/** Long echoes of client input are cut in error messages. */
function quote(text: string): string {
  return JSON.stringify(text.length > 64 ? text.slice(0, 64) + '…' : text);
}

/** The source of the path, or a 404 answer. */
export function requireSource(call: RestCall): boolean {
  const sourceId = call.params['sourceId'] ?? '';
  if (call.deps.model.sources().some((s) => s.sourceId === sourceId)) return true;
  sendError(call.res, 404, `unknown source ${quote(sourceId)}`, call.style);
  return false;
}

/** The producer of the path (after its source), or a 404 answer. */
export function requireProducer(call: RestCall): ProducerDescriptor | undefined {
  if (!requireSource(call)) return undefined;
  const producerId = call.params['producerId'] ?? '';
  const producer = call.deps.model.producer(producerId);
  if (!producer) sendError(call.res, 404, `unknown producer ${quote(producerId)}`, call.style);
  return producer;
}

export function sources(call: RestCall): void {
  sendJson(call.res, 200, call.deps.model.sources());
}

export function producers(call: RestCall): void {
  if (!requireSource(call)) return;
  sendJson(call.res, 200, call.deps.model.producers());
}

export function dictionary(call: RestCall): void {
  const producer = requireProducer(call);
  if (!producer) return;
  const locale = call.query.get('locale');
  if (!locale) {
    sendError(call.res, 400, `the locale query parameter is required (one of ${LOCALES.join(', ')})`, call.style);
    return;
  }
  const result = call.deps.model.dictionary(producer.header.producerId, locale);
  if (!result) {
    sendError(call.res, 400, `unknown locale ${quote(locale)}: use one of ${LOCALES.join(', ')}`, call.style);
    return;
  }
  sendJson(call.res, 200, result);
}

export function dimdata(call: RestCall): void {
  const producer = requireProducer(call);
  if (!producer) return;
  if (producer.header.producerId !== ADMIN_PRODUCER_ID) {
    sendError(call.res, 404, `dimension data is served by ${ADMIN_PRODUCER_ID} only`, call.style);
    return;
  }
  const name = call.params['name'] ?? '';
  const type = call.params['type'] ?? '';
  if (name !== type) {
    sendError(
      call.res,
      400,
      `dimDataName and dimDataType must be identical (got ${quote(name)} and ${quote(type)})`,
      call.style,
    );
    return;
  }
  const records = call.deps.model.dimdata(name, call.user);
  if (!records) {
    sendError(
      call.res,
      404,
      `unknown dimension data ${quote(name)}: use one of ${DIMDATA_KINDS.join(', ')}`,
      call.style,
    );
    return;
  }
  sendJson(call.res, 200, records);
}
