// Declarative alerts over the accumulated view (no Node-RED here; nodes/avaya-analytics-alert wraps it).
export {
  AlertEngine,
  fieldOf,
  ALERTS_FORMAT,
  ALERTS_VERSION,
  type AlertEvent,
  type AlertKind,
  type ClearReason,
  type PersistedAlerts,
  type AlertEngineOptions,
} from './engine';
export {
  parseRules,
  parseRule,
  parseDuration,
  makeCondition,
  RuleProblem,
  OPERATORS,
  OPERATOR_SIGNS,
  STATE_TIMESTAMPS,
  type Rule,
  type RuleDef,
  type Operator,
} from './rules';
export { Scheduler, type Schedulable } from './scheduler';
export type { Clock } from '../clock';
export { SkewEstimate } from './skew';
export { describeAlert, formatDuration, entityName, type Texts } from './text';
