// Alert rules: what the dialog stores (RuleDef, plain JSON in the flow) and what the engine runs
// (Rule, checked once at start). A rule that cannot run is dropped with a named problem rather than
// failing the node.
import { scalarText } from './scalar-text';

export const OPERATORS = ['eq', 'ne', 'in', 'gt', 'ge', 'lt', 'le'] as const;
export type Operator = (typeof OPERATORS)[number];
export const OPERATOR_SIGNS: Readonly<Record<Operator, string>> = {
  eq: '=',
  ne: '≠',
  in: 'in',
  gt: '>',
  ge: '≥',
  lt: '<',
  le: '≤',
};

/**
 * Lifecycle events during which a feed counts as down (a feed-health rule's condition). "failed": the server
 * refused the subscription (licence limit, unknown producer) or the subscribe node has no usable server, so no
 * data comes although the socket may be up.
 * "unsubscribed" is not: a flow or a redeploy ended the feed on purpose.
 */
export const FEED_DOWN_EVENTS: ReadonlySet<string> = new Set(['stale', 'disconnected', 'auth-failed', 'failed']);
/** Lifecycle events after which a feed is live again. */
export const FEED_UP_EVENTS: ReadonlySet<string> = new Set(['ready', 'pumpupComplete']);

/**
 * Fields whose value changes come with a state timestamp of the entity: a condition on them started at
 * that timestamp, not when Node-RED first saw it (after a restart the agent may be NOT_READY for 9 min).
 */
export const STATE_TIMESTAMPS: Readonly<Record<string, string>> = {
  agentState: 'lastStateChangeTimestamp',
  accountState: 'lastStateChangeTimestamp',
};

/** A rule as the dialog stores it (every value may be missing or a string from an env variable). */
export interface RuleDef {
  id?: unknown;
  name?: unknown;
  kind?: unknown;
  field?: unknown;
  op?: unknown;
  value?: unknown;
  duration?: unknown;
  durationBy?: unknown;
  durations?: unknown;
  repeat?: unknown;
  clearDelay?: unknown;
  scopeField?: unknown;
  scopeOp?: unknown;
  scopeValue?: unknown;
}

export interface Condition {
  field: string;
  op: Operator;
  /** The value as typed (for texts). */
  text: string;
  test(value: unknown): boolean;
}

export interface Rule {
  id: string;
  name: string;
  kind: 'measure' | 'feed';
  /** Measure rules: the condition on the entity's record. */
  condition: Condition | null;
  /** Default duration (ms) the condition must hold. */
  durationMs: number;
  /** Field whose value picks the duration from `durations` (e.g. nrReasonCodeName), or ''. */
  durationBy: string;
  durations: ReadonlyMap<string, number>;
  /** Reminder interval (ms), 0 = none. */
  repeatMs: number;
  /** How long the condition must be false before the alert clears (ms), 0 = at once. */
  clearMs: number;
  /** Entities the rule applies to: null = all. */
  scope: Condition | null;
}

export class RuleProblem extends Error {
  constructor(
    readonly key: string,
    readonly rule: string,
    readonly detail = '',
  ) {
    super(`rule ${rule}: ${key}${detail ? ' ' + detail : ''}`);
    this.name = 'RuleProblem';
  }
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)\s*(ms|sec|min|s|m|h)?/y;

/**
 * Milliseconds of a duration: "90s", "10m", "10 min", "1h30m", "500ms"; a bare number is seconds.
 * Empty (or undefined) gives `empty`; anything else unreadable gives NaN.
 */
export function parseDuration(value: unknown, empty = 0): number {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : NaN;
  if (value === undefined || value === null) return empty;
  const text = scalarText(value).trim().toLowerCase();
  if (text === '') return empty;
  let total = 0;
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ') i++;
    if (i >= text.length) break;
    PART.lastIndex = i;
    const m = PART.exec(text);
    if (m === null) return NaN;
    total += Number(m[1]) * (UNITS[m[2] ?? 's'] ?? NaN);
    i = PART.lastIndex;
  }
  return total;
}

function str(value: unknown): string {
  return value === undefined || value === null ? '' : scalarText(value).trim();
}

/** A condition on one field; undefined and null (UNKNOWN) never match. */
export function makeCondition(field: string, op: Operator, text: string): Condition {
  let test: (value: unknown) => boolean;
  if (op === 'in') {
    const set = new Set(
      text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    );
    test = (v) => v !== undefined && v !== null && set.has(scalarText(v));
  } else if (op === 'eq' || op === 'ne') {
    const num = text !== '' ? Number(text) : NaN;
    const equal = (v: unknown): boolean => scalarText(v) === text || (typeof v === 'number' && v === num);
    test =
      op === 'eq'
        ? (v) => v !== undefined && v !== null && equal(v)
        : (v) => v !== undefined && v !== null && !equal(v);
  } else {
    const limit = Number(text);
    const cmp: (a: number) => boolean =
      op === 'gt'
        ? (a) => a > limit
        : op === 'ge'
          ? (a) => a >= limit
          : op === 'lt'
            ? (a) => a < limit
            : (a) => a <= limit;
    test = (v) => {
      if (typeof v === 'number') return cmp(v);
      if (typeof v === 'string' && v.trim() !== '') {
        const n = Number(v);
        return Number.isFinite(n) && cmp(n);
      }
      return false;
    };
  }
  return { field, op, text, test };
}

function operator(value: unknown, rule: string, key: string): Operator {
  const op = str(value) || 'eq';
  if ((OPERATORS as readonly string[]).includes(op)) return op as Operator;
  throw new RuleProblem(key, rule, op);
}

function duration(value: unknown, rule: string, key: string, empty: number): number {
  const ms = parseDuration(value, empty);
  if (Number.isNaN(ms)) throw new RuleProblem(key, rule, str(value));
  return ms;
}

/** One rule from its dialog form; throws RuleProblem when it cannot run. */
export function parseRule(def: RuleDef, index: number): Rule {
  const id = str(def.id) || `rule${index + 1}`;
  const label = str(def.name) || id;
  const kind = def.kind === 'feed' ? 'feed' : 'measure';
  let condition: Condition | null = null;
  if (kind === 'measure') {
    const field = str(def.field);
    if (field === '') throw new RuleProblem('no-field', label);
    const op = operator(def.op, label, 'bad-op');
    const text = str(def.value);
    if ((op === 'gt' || op === 'ge' || op === 'lt' || op === 'le') && !Number.isFinite(Number(text)))
      throw new RuleProblem('not-a-number', label, text);
    condition = makeCondition(field, op, text);
  }
  const durations = new Map<string, number>();
  const durationBy = str(def.durationBy);
  if (durationBy !== '' && Array.isArray(def.durations)) {
    for (const row of def.durations as Array<Record<string, unknown>>) {
      if (row === null || typeof row !== 'object') continue;
      durations.set(str(row.value), duration(row.duration, label, 'bad-duration', 0));
    }
  }
  let scope: Condition | null = null;
  const scopeField = str(def.scopeField);
  if (scopeField !== '') {
    const op = operator(def.scopeOp, label, 'bad-op');
    scope = makeCondition(scopeField, op, str(def.scopeValue));
  }
  return {
    id,
    name: str(def.name),
    kind,
    condition,
    durationMs: duration(def.duration, label, 'bad-duration', 0),
    durationBy,
    durations,
    repeatMs: duration(def.repeat, label, 'bad-repeat', 0),
    clearMs: duration(def.clearDelay, label, 'bad-clear', 0),
    scope,
  };
}

/** Every rule that can run, and the problems of those that cannot (a duplicate id is one). */
export function parseRules(defs: unknown): { rules: Rule[]; problems: RuleProblem[] } {
  const rules: Rule[] = [];
  const problems: RuleProblem[] = [];
  const ids = new Set<string>();
  const list = Array.isArray(defs) ? (defs as RuleDef[]) : [];
  list.forEach((def, i) => {
    try {
      const rule = parseRule(def ?? {}, i);
      if (ids.has(rule.id)) throw new RuleProblem('duplicate-id', rule.name || rule.id, rule.id);
      ids.add(rule.id);
      rules.push(rule);
    } catch (err) {
      if (err instanceof RuleProblem) problems.push(err);
      else throw err;
    }
  });
  return { rules, problems };
}
