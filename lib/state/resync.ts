// The replacement step of a resync, per entity. The first pumpup row of an entity replaces its record:
// the former values the row does not bring again are set aside (EntityRecord.prev); reads fall back to
// them until the pumpup completes, then they are dropped. So a pumpup that brings unchanged data changes
// nothing and sends nothing. The row is merged into the record in place (after folding back what an
// abandoned resync left aside); it usually brings every measure of its entity, and then nothing is set
// aside at all (setAsideUnrefreshed).
import type { EntityRecord } from './entity-record';
import type { ProducerView } from './producer-view';
import type { StateChange } from './types';

/**
 * The first pumpup row of a resync was merged into the record in place (its prev null): sets aside, in
 * prev, the values the row did not bring. `rowSize`: the row's measures with a value; `sent`: its values by
 * index (wide rows) or its measures by name, in the order of `sentColumns`. A pumpup row usually brings every
 * measure the record holds: then this counts, and allocates nothing.
 */
export function setAsideUnrefreshed(
  entity: EntityRecord,
  rowSize: number,
  sent: readonly unknown[] | Readonly<Record<string, unknown>>,
  sentColumns: readonly number[],
): void {
  // The record's shape, when it has one, counts its fields (and the merge dropped it if the row added one).
  if (entity.shape !== null && entity.shape.held === rowSize) return;
  const store = entity.view.columns;
  const row = entity.row;
  const width = store.width;
  let held = 0;
  for (let col = 0; col < width; col++) if (store.get(col, row) !== undefined) held++;
  if (held === rowSize) return;
  // Every value is copied aside, the row's own are taken back out of prev, and the rest leave the row:
  // the row's values stay where they are (a column store re-encodes what it is given). The record's shape
  // stays: its fields are the columns holding a value in the row or in prev, the same set as before; a row
  // that brings a new field resets it (merge), and so does a completion that drops one.
  const prev = new Array<unknown>(width);
  for (let col = 0; col < width; col++) prev[col] = store.get(col, row);
  if (Array.isArray(sent)) {
    for (let i = 0; i < sent.length; i++) if (sent[i] !== undefined) prev[sentColumns[i] as number] = undefined;
  } else {
    const measures = sent as Readonly<Record<string, unknown>>; // Array.isArray does not narrow a readonly array out
    let i = 0;
    for (const name in measures) {
      const col = sentColumns[i++] as number;
      if (measures[name] !== undefined) prev[col] = undefined;
    }
  }
  for (let col = 0; col < width; col++) if (prev[col] !== undefined) store.clear(col, row);
  entity.prev = prev;
}

/** Ends a replacement without dropping anything: values not refreshed keep their former value. */
export function foldPrevious(entity: EntityRecord): void {
  const prev = entity.prev;
  if (prev === null) return;
  const columns = entity.view.columns;
  for (let col = 0; col < prev.length; col++) {
    const value = prev[col];
    if (value !== undefined && columns.get(col, entity.row) === undefined) columns.set(col, entity.row, value);
  }
  entity.prev = null; // the same fields as during the replacement: the shape stays
}

/** Ends a replacement by the pumpup: measures the pumpup did not send are gone. Null when none was. */
export function dropUnrefreshed(entity: EntityRecord): StateChange | null {
  const prev = entity.prev;
  entity.prev = null;
  if (prev === null) return null;
  const names = entity.view.names;
  const columns = entity.view.columns;
  let changed: string[] | null = null;
  const previous: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (let col = 0; col < prev.length; col++) {
    const old = prev[col];
    const name = names[col];
    if (old !== undefined && name !== undefined && columns.get(col, entity.row) === undefined) {
      (changed ??= []).push(name);
      previous[name] = old;
    }
  }
  if (changed === null) return null; // every field refreshed: the shape stays
  entity.shape = null; // the values now hold exactly what the pumpup sent: fewer fields
  return { kind: 'upsert', entity, created: false, changed, previous, pumpup: true };
}

/**
 * The end of a resync, over every entity of the view: an entity not seen since the resync opened is
 * removed from the view (an evict change), a record the pumpup replaced drops what the pumpup did not
 * send, and one only updated meanwhile keeps its values. Returns those changes (the caller advances the
 * cycle and counts the evicted entities).
 */
export function endResync(view: ProducerView<EntityRecord>): StateChange[] {
  const cycle = view.cycle;
  const changes: StateChange[] = [];
  for (const entity of view.entities.values()) {
    if (entity.touched !== cycle) {
      view.entities.delete(entity.key); // deleting the current entry keeps Map iteration valid
      entity.detach();
      changes.push({
        kind: 'evict',
        entity,
        created: false,
        changed: [],
        previous: Object.create(null) as Record<string, unknown>,
        pumpup: true,
      });
    } else if (entity.pumped === cycle) {
      const drop = dropUnrefreshed(entity);
      if (drop !== null) changes.push(drop);
    } else {
      foldPrevious(entity); // updated during the resync but not by its pumpup: nothing to drop
    }
  }
  return changes;
}
