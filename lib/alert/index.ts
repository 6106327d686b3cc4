// Declarative alerts over the accumulated view (no Node-RED here; nodes/avaya-analytics-alert wraps it).
export { AlertEngine, fieldOf, ALERTS_FORMAT, ALERTS_VERSION, type AlertEvent, type AlertKind, type ClearReason, type PersistedAlerts, type AlertEngineOptions } from './engine.js';
export { parseRules, parseRule, parseDuration, makeCondition, RuleProblem, OPERATORS, OPERATOR_SIGNS, STATE_TIMESTAMPS, type Rule, type RuleDef, type Operator } from './rules.js';
export { Scheduler, SYSTEM_CLOCK, type Clock, type Schedulable } from './scheduler.js';
export { SkewEstimate } from './skew.js';
export { describeAlert, formatDuration, entityName, type Texts } from './text.js';
