// POST/DELETE {base}/sources/{sourceId}/producers/{producerId}/subscriptions.
import { isPlainObject, readJsonBody, sendError, sendJson } from '../http/respond';
import { ADMIN_PRODUCER_ID, type RestCall } from './context';
import { requireProducer } from './catalog';

/** A SubscriptionRequest is a few hundred bytes; anything near this is not one. */
export const SUBSCRIPTION_BODY_LIMIT = 16 * 1024;

/** Checks a SubscriptionRequest (guide: sourceId, producerId, streamType, transport, tenantId, username, filters). */
function validateRequest(body: unknown, call: RestCall): string | undefined {
  if (!isPlainObject(body)) return 'the body must be a SubscriptionRequest JSON object';
  const text = (field: string): string | undefined => {
    const value = body[field];
    return typeof value === 'string' ? value : undefined;
  };
  for (const field of ['sourceId', 'producerId', 'streamType', 'transport', 'username']) {
    if (text(field) === undefined) return `${field} is required and must be a string`;
  }
  const tenantId = body['tenantId'];
  if (typeof tenantId !== 'string' && typeof tenantId !== 'number')
    return 'tenantId is required (the guide: set it to "0")';
  if (text('sourceId') !== call.params['sourceId']) return 'sourceId in the body differs from the path';
  if (text('producerId') !== call.params['producerId']) return 'producerId in the body differs from the path';
  if (text('streamType') !== 'SoD') return 'streamType must be "SoD" (the only stream type)';
  if (text('transport')?.toLowerCase() !== 'websocket') return 'transport must be "websocket"';
  if (text('username') !== call.user) return 'username differs from the user of the authorization token';
  for (const field of ['dimensionFilters', 'measureFilters']) {
    const filters = body[field];
    if (filters === undefined || filters === null) continue;
    if (!Array.isArray(filters) || !filters.every(isPlainObject))
      return `${field} must be an array of {name, filters} objects`;
  }
  return undefined;
}

export async function subscribe(call: RestCall): Promise<void> {
  const { req, res, style, deps } = call;
  const producer = requireProducer(call);
  if (!producer) {
    req.resume();
    return;
  }
  const body = await readJsonBody(req, SUBSCRIPTION_BODY_LIMIT, true);
  if (!body.ok) {
    sendError(res, body.status, body.message, style, body.status === 413 ? { Connection: 'close' } : {});
    return;
  }
  const invalid = validateRequest(body.value, call);
  if (invalid) {
    sendError(res, 400, invalid, style);
    return;
  }
  if (producer.header.producerId === ADMIN_PRODUCER_ID) {
    sendError(res, 400, `${ADMIN_PRODUCER_ID} serves dimension data over REST and has no stream`, style);
    return;
  }
  const sourceName =
    deps.model.sources().find((s) => s.sourceId === producer.header.sourceId)?.sourceName ?? producer.header.sourceId;
  const result = deps.registry.subscribe(call.user, producer.header.sourceId, producer.header.producerId, (guid) => ({
    source: sourceName,
    sourceId: producer.header.sourceId,
    producer: producer.header.producerName,
    producerId: producer.header.producerId,
    streamType: 'SoD',
    version: producer.header.version,
    transport: 'websocket',
    endpoint: deps.wsEndpoint(req),
    guid,
  }));
  if (!result.ok) {
    const held = deps.registry
      .forUser(call.user)
      .map((s) => s.producerId)
      .join(', ');
    sendError(
      res,
      403,
      `licence limit reached: at most ${result.limit} subscriptions per user (subscribed to ${held}); unsubscribe one first`,
      style,
    );
    return;
  }
  deps.log(
    `${call.user} subscribed ${producer.header.producerId}${result.replaced ? ' (replacing the previous subscription)' : ''}`,
  );
  sendJson(res, 200, result.subscription.response);
}

export function unsubscribe(call: RestCall): void {
  const { req, res, style, deps } = call;
  req.resume();
  const producer = requireProducer(call);
  if (!producer) return;
  const ended = deps.registry.unsubscribe(call.user, producer.header.producerId);
  if (!ended) {
    sendError(res, 404, `not subscribed to ${producer.header.producerId}`, style);
    return;
  }
  deps.log(`${call.user} unsubscribed ${producer.header.producerId}`);
  res.writeHead(204, { 'Cache-Control': 'no-store' });
  res.end();
}
