/**
 * Alerting and recording rules as data: each rule carries the series histories that prove
 * it (generated into `promtool test rules` files), so a rule cannot ship untested. The
 * types are the catalog definition API's (`src/catalogs/types.ts`).
 */
export { isAlert } from 'promkit/catalog';
export type { AlertRule, AlertScenario, RecordingRule, RecordingScenario, RuleGroup, RuleSet, SeriesHistory, Severity } from 'promkit/catalog';
