// The alert msg, ready for an e-mail, Telegram, Teams or SMS node:
//   msg.alert    "raise" | "repeat" | "clear"
//   msg.topic    the stable alert id: <rule id>/<entity key> (feed rules: <rule id>/<producer>)
//   msg.payload  a sentence in the deploying editor's language
//   msg.details  the rule, the entity, the value, since when, for how long
import { describeAlert, entityName, type AlertEvent, type Texts } from '../../lib/alert/index';
import type { NodeMessage } from '../shared/node-red';

export function alertDetails(e: AlertEvent): Record<string, unknown> {
  const measure = e.rule.kind === 'measure';
  const c = e.rule.condition;
  const details: Record<string, unknown> = {
    rule: { id: e.rule.id, name: e.rule.name, kind: e.rule.kind },
    entity: {
      key: e.key,
      producer: e.producer,
      name: measure ? entityName(e.record, e.dimension, e.key) : e.producer,
      dimension: e.dimension,
    },
  };
  if (c !== null) Object.assign(details, { field: c.field, op: c.op, limit: c.text });
  Object.assign(details, {
    value: e.value,
    by: e.by,
    since: e.since,
    at: e.at,
    durationMs: Math.max(0, e.at - e.since),
    limitMs: e.limitMs,
    raisedAt: e.raisedAt,
    repeats: e.repeats,
    acked: e.acked,
  });
  if (e.reason !== undefined) details.reason = e.reason;
  if (measure) details.record = e.record;
  return details;
}

export function alertMessage(e: AlertEvent, texts: Texts): NodeMessage {
  return { topic: e.id, alert: e.alert, payload: describeAlert(e, texts), details: alertDetails(e) };
}
