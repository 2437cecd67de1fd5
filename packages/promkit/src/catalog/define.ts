/**
 * `defineCatalog()`: the public way to declare a catalog (metric families, example queries,
 * dashboard, rules with the histories that prove them, scrape monitor). The spec catalogs
 * and promkit's own self-monitoring catalogs go through it too, so what `promkit generate`
 * does for them it does for yours.
 */
import { assertLabelNames, assertMetricName } from '../core/validation.js';
import {
  isAlert,
  type AlertRule,
  type Catalog,
  type CatalogDefinition,
  type DashboardSpec,
  type MetricSpec,
  type RecordingRule,
  type RuleGroup,
} from './types.js';

/** Marks objects made by defineCatalog, so a loaded module's exports can be told apart. */
const CATALOG_BRAND = Symbol.for('promkit.catalog');

const ID = /^[a-z0-9][a-z0-9-]*$/;
const ALERT_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const RECORD_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const SEVERITIES = ['critical', 'warning', 'info'];
const TYPES = ['counter', 'gauge', 'histogram', 'summary'];
const PANEL_KINDS = ['timeseries', 'stat', 'gauge', 'table'];

class CatalogError extends TypeError {
  constructor(id: string, message: string) {
    super(`catalog '${id}': ${message}`);
    this.name = 'CatalogError';
  }
}

function nonEmpty(id: string, what: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') throw new CatalogError(id, `${what} must be a non-empty string, got ${JSON.stringify(value)}`);
}

function checkMetric(id: string, key: string, spec: MetricSpec): void {
  const where = `metric '${key}'`;
  if (spec === null || typeof spec !== 'object') throw new CatalogError(id, `${where} must be an object`);
  try {
    assertMetricName(spec.name);
    if (!TYPES.includes(spec.type)) throw new TypeError(`type must be one of ${TYPES.join(', ')}, got ${JSON.stringify(spec.type)}`);
    nonEmpty(id, `${where} help`, spec.help);
    if (!Array.isArray(spec.labelNames)) throw new TypeError('labelNames must be an array (use [] for none)');
    assertLabelNames(spec.name, spec.labelNames, spec.type === 'histogram' ? ['le'] : spec.type === 'summary' ? ['quantile'] : []);
  } catch (err) {
    if (err instanceof CatalogError) throw err;
    throw new CatalogError(id, `${where}: ${(err as Error).message}`);
  }
  for (const label of Object.keys(spec.labelValues ?? {})) {
    if (!spec.labelNames.includes(label))
      throw new CatalogError(
        id,
        `metric '${spec.name}': labelValues names '${label}', which is not one of its labels (${spec.labelNames.join(', ') || 'none'})`,
      );
  }
  if (spec.buckets !== undefined) {
    if (spec.type !== 'histogram') throw new CatalogError(id, `metric '${spec.name}': buckets are for histograms, it is a ${spec.type}`);
    const b = spec.buckets;
    if (b.length === 0 || b.some((v, i) => !Number.isFinite(v) || (i > 0 && v <= b[i - 1]!))) {
      throw new CatalogError(id, `metric '${spec.name}': buckets must be finite and strictly ascending, got [${b.join(', ')}]`);
    }
  }
}

/** Series names a catalog exposes (histogram samples as exposed). */
function exposedNames(metrics: Record<string, MetricSpec>): Set<string> {
  const names = new Set<string>();
  for (const m of Object.values(metrics)) {
    if (m.type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
    else {
      names.add(m.name);
      if (m.type === 'summary') for (const s of ['_sum', '_count']) names.add(m.name + s);
    }
  }
  return names;
}

function checkAlert(id: string, rule: AlertRule): void {
  const where = `alert '${rule.alert}'`;
  if (!ALERT_NAME.test(rule.alert)) throw new CatalogError(id, `${where}: alert names must match [a-zA-Z_][a-zA-Z0-9_]*`);
  nonEmpty(id, `${where} expr`, rule.expr);
  if (!DURATION.test(rule.for)) throw new CatalogError(id, `${where}: for must be a Prometheus duration such as 5m, got ${JSON.stringify(rule.for)}`);
  if (!SEVERITIES.includes(rule.severity))
    throw new CatalogError(id, `${where}: severity must be one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(rule.severity)}`);
  for (const field of ['summary', 'description', 'runbook'] as const) nonEmpty(id, `${where} ${field}`, rule[field]);
  // An alert ships only with one history that fires it and one that keeps it quiet.
  if (!rule.fires || !Array.isArray(rule.fires.alerts) || rule.fires.alerts.length === 0) {
    throw new CatalogError(id, `${where}: fires must be a scenario with at least one expected alert`);
  }
  if (!rule.quiet || !Array.isArray(rule.quiet.alerts) || rule.quiet.alerts.length !== 0) {
    throw new CatalogError(id, `${where}: quiet must be a scenario with no expected alerts (alerts: [])`);
  }
  for (const q of rule.diagnosis ?? []) nonEmpty(id, `${where} diagnosis query '${q.title}'`, q.expr);
}

function checkRecording(id: string, rule: RecordingRule): void {
  if (!RECORD_NAME.test(rule.record)) throw new CatalogError(id, `recording rule '${rule.record}': names must match [a-zA-Z_:][a-zA-Z0-9_:]*`);
  nonEmpty(id, `recording rule '${rule.record}' expr`, rule.expr);
  if (!rule.expect || !Array.isArray(rule.expect.samples) || rule.expect.samples.length === 0) {
    throw new CatalogError(id, `recording rule '${rule.record}': expect must be a scenario with at least one expected sample`);
  }
}

function checkRules(id: string, groups: readonly RuleGroup[]): string[] {
  const seen = new Set<string>();
  const recorded: string[] = [];
  for (const group of groups) {
    nonEmpty(id, 'rule group name', group.name);
    if (!Array.isArray(group.rules) || group.rules.length === 0) throw new CatalogError(id, `rule group '${group.name}' has no rules`);
    for (const rule of group.rules) {
      const name = isAlert(rule) ? rule.alert : rule.record;
      if (isAlert(rule)) checkAlert(id, rule);
      else {
        checkRecording(id, rule);
        recorded.push(rule.record);
      }
      if (isAlert(rule) && seen.has(name)) throw new CatalogError(id, `alert '${name}' is declared twice`);
      seen.add(name);
    }
  }
  return recorded;
}

function checkDashboard(id: string, d: DashboardSpec, series: Set<string>): void {
  nonEmpty(id, 'dashboard uid', d.uid);
  // Grafana rejects longer uids.
  if (d.uid.length > 40) throw new CatalogError(id, `dashboard uid '${d.uid}' is longer than Grafana's 40 characters`);
  nonEmpty(id, 'dashboard title', d.title);
  for (const v of d.variables) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(v.name)) throw new CatalogError(id, `dashboard variable '${v.name}': names must match [a-zA-Z_][a-zA-Z0-9_]*`);
    if (!series.has(v.metric))
      throw new CatalogError(id, `dashboard variable '${v.name}' reads label values of '${v.metric}', which this catalog does not expose`);
  }
  for (const row of d.rows) {
    for (const p of row.panels) {
      const where = `panel '${p.title}' (row '${row.title}')`;
      if (!PANEL_KINDS.includes(p.kind)) throw new CatalogError(id, `${where}: kind must be one of ${PANEL_KINDS.join(', ')}, got ${JSON.stringify(p.kind)}`);
      nonEmpty(id, `${where} description`, p.description);
      nonEmpty(id, `${where} unit`, p.unit);
      if (!Array.isArray(p.targets) || p.targets.length === 0) throw new CatalogError(id, `${where} has no targets`);
      for (const t of p.targets) nonEmpty(id, `${where} target expr`, t.expr);
    }
  }
}

function checkScrape(id: string, s: NonNullable<Catalog['scrape']>): void {
  if (typeof s.job !== 'string' || s.job === '') throw new CatalogError(id, 'scrape.job must be a non-empty string');
  if (!Number.isInteger(s.port) || s.port < 1 || s.port > 65535)
    throw new CatalogError(id, `scrape.port must be an integer 1-65535, got ${JSON.stringify(s.port)}`);
  if (typeof s.path !== 'string' || !s.path.startsWith('/')) throw new CatalogError(id, `scrape.path must start with '/', got ${JSON.stringify(s.path)}`);
}

/**
 * Checks a catalog declaration and returns it with literal types kept (label names as tuples,
 * for typed handles). Throws a `CatalogError` naming the catalog and the offending part.
 */
export function defineCatalog<const M extends Record<string, MetricSpec>>(definition: CatalogDefinition<M>): Catalog<M> {
  const id = String(definition?.id);
  if (!ID.test(id))
    throw new TypeError(`catalog id ${JSON.stringify(definition?.id)} is invalid: use lowercase letters, digits and '-' (it names generated files)`);
  nonEmpty(id, 'title', definition.title);
  nonEmpty(id, 'description', definition.description);
  const s = definition.scrape;
  if (s === undefined || s === null) throw new CatalogError(id, 'scrape is required: { job, port, path } of the endpoint exposing these metrics');
  checkScrape(id, s);
  if (!definition.metrics || Object.keys(definition.metrics).length === 0) throw new CatalogError(id, 'declares no metrics');
  const names = new Set<string>();
  for (const [key, spec] of Object.entries(definition.metrics)) {
    checkMetric(id, key, spec);
    if (names.has(spec.name)) throw new CatalogError(id, `metric name '${spec.name}' is declared twice`);
    names.add(spec.name);
  }
  const recorded = definition.rules ? checkRules(id, definition.rules) : [];
  if (definition.dashboard) checkDashboard(id, definition.dashboard, new Set([...exposedNames(definition.metrics), ...recorded]));
  if (definition.monitor && !['ServiceMonitor', 'PodMonitor'].includes(definition.monitor.kind)) {
    throw new CatalogError(id, `monitor.kind must be ServiceMonitor or PodMonitor, got ${JSON.stringify(definition.monitor.kind)}`);
  }
  const catalog = { ...definition, queries: definition.queries ?? [] } as Catalog<M>;
  Object.defineProperty(catalog, CATALOG_BRAND, { value: true });
  return catalog;
}

/** True for an object made by `defineCatalog()`. */
export function isCatalog(value: unknown): value is Catalog {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[CATALOG_BRAND] === true;
}
