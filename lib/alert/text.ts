// The readable sentence of an alert (msg.payload), from the templates of one locale:
// "Siobhan Collins has been NOT_READY (Lunch) for 62 min". The templates come from the node's locale
// catalog (locales/<lang>/avaya-analytics-alert.json, "text"), passed in as a lookup function.
import { OPERATOR_SIGNS } from './rules';
import { scalarText } from './scalar-text';
import type { AlertEvent } from './episode';

/** Looks a template up by key ("raise.state", "unit.min", …) and fills in __name__ placeholders. */
export type Texts = (key: string, substitutions?: Record<string, unknown>) => string;

/** Fields that name an entity, best first; else its dimension values. */
const NAME_FIELDS = [
  'agentDisplayName',
  'routingServiceName',
  'displayName',
  'vdnName',
  'queueName',
  'skillName',
  'name',
];

export function entityName(
  record: Record<string, unknown> | null,
  dimension: Record<string, string> | null,
  key: string,
): string {
  if (record !== null) {
    for (const f of NAME_FIELDS) {
      const v = record[f];
      if (typeof v === 'string' && v.trim() !== '') return v;
    }
  }
  if (dimension !== null) {
    const values = Object.keys(dimension)
      .sort()
      .map((k) => dimension[k]);
    if (values.length > 0) return values.join(', ');
  }
  return key;
}

/** "45 s", "62 min", "2 h 5 min" in the locale's words (rounded down). */
export function formatDuration(ms: number, t: Texts): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return t('unit.s', { n: s });
  const min = Math.floor(s / 60);
  if (min < 120) return t('unit.min', { n: min }); // "62 min" reads better than "1 h 2 min"
  const h = Math.floor(min / 60);
  return min % 60 === 0 ? t('unit.h', { n: h }) : t('unit.hmin', { h, m: min % 60 });
}

function show(value: unknown): string {
  return value === undefined ? '?' : value === null ? 'UNKNOWN' : scalarText(value);
}

export function describeAlert(e: AlertEvent, t: Texts): string {
  const held = formatDuration(e.at - e.since, t);
  const rule = e.rule.name || e.rule.id;
  if (e.rule.kind === 'feed') {
    const event = t(`event.${scalarText(e.value)}`);
    return t(`feed.${e.alert}`, { producer: e.producer, event, held, rule });
  }
  const entity = entityName(e.record, e.dimension, e.key);
  if (e.alert === 'clear' && e.reason !== undefined && e.reason !== 'condition')
    return t(`clear.${e.reason}`, { entity, rule, held });
  const c = e.rule.condition!;
  const by =
    e.by !== undefined && e.by !== null && scalarText(e.by) !== '' && scalarText(e.by) !== scalarText(e.value)
      ? ` (${scalarText(e.by)})`
      : '';
  const now = e.record !== null ? e.record[c.field] : undefined;
  const subs = {
    entity,
    rule,
    held,
    field: c.field,
    sign: OPERATOR_SIGNS[c.op],
    limit: c.text,
    value: show(e.value) + by,
    now: show(now),
  };
  const form = c.op === 'eq' || c.op === 'in' ? 'state' : 'compare';
  return t(`${e.alert}.${form}`, subs);
}
