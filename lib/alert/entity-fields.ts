// What a rule reads of an entity: a field (dimension value or measure) and the duration that applies
// to the value of its "duration by" field.
import type { EntityRecord } from '../state/entity-record';
import type { Rule } from './rules';
import { scalarText } from './scalar-text';

/** A field of an entity: a dimension value, else a measure (undefined when it has none). */
export function fieldOf(entity: EntityRecord, name: string): unknown {
  const dim = entity.dimensionValue(name);
  if (dim !== undefined) return dim;
  const col = entity.view.columnOf(name);
  return col === undefined ? undefined : entity.valueAt(col);
}

/** The rule's duration for this "duration by" value (its own duration when none is listed). */
export function limitOf(rule: Rule, by: unknown): number {
  if (by === undefined || by === null || rule.durations.size === 0) return rule.durationMs;
  return rule.durations.get(scalarText(by)) ?? rule.durationMs;
}
