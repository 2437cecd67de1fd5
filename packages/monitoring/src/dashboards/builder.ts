import * as common from '@grafana/grafana-foundation-sdk/common';
import {
  DashboardBuilder,
  DashboardCursorSync,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  VariableSort,
  AnnotationQueryBuilder,
  type Dashboard,
  type Threshold,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as GaugePanelBuilder } from '@grafana/grafana-foundation-sdk/gauge';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as TablePanelBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

/**
 * Dashboards are declared as data (rows of panels with PromQL targets) and built with the
 * Grafana Foundation SDK here, so every dashboard gets the same datasource wiring, variable
 * semantics and panel defaults, and tests can walk the declarations.
 */

export type { DashboardSpec, PanelSpec, RowSpec, TargetSpec, VariableSpec } from 'promkit/catalog';
import type { DashboardSpec, PanelSpec, TargetSpec, VariableSpec } from 'promkit/catalog';
import { firstMetric, scopeSelectors, type ScopeMatcher } from '../promql/scope.js';

/** Panels and variables query whichever Prometheus the `datasource` variable selects. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana variable syntax, not a JS template
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

/** Every dashboard narrows every query to the selected clusters and jobs. */
const SCOPE: readonly ScopeMatcher[] = [
  { label: 'cluster', value: '$cluster' },
  { label: 'job', value: '$job' },
];

function target(spec: TargetSpec, index: number, kind: PanelSpec['kind']): DataqueryBuilder {
  const query = new DataqueryBuilder()
    .refId(String.fromCharCode(65 + index))
    .datasource(DATASOURCE)
    .expr(scopeSelectors(spec.expr, SCOPE))
    .legendFormat(spec.legend ?? '__auto');
  if (kind === 'table') return query.instant().format(PromQueryFormat.Table);
  if (kind !== 'timeseries') return query.instant();
  // Latency panels show the exemplars (trace ids) stored with the buckets: the jump from a slow bucket to its trace.
  if (/_bucket\b/.test(spec.expr)) query.exemplar(true);
  return query.range();
}

function thresholds(spec: PanelSpec['thresholds']): ThresholdsConfigBuilder | undefined {
  if (!spec) return undefined;
  const steps: Threshold[] = [{ value: null, color: spec.base }, ...spec.steps.map(([value, color]) => ({ value, color }))];
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps);
}

const lastValue = (): common.ReduceDataOptionsBuilder => new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false);

function panel(spec: PanelSpec, id: number): TimeseriesPanelBuilder | StatPanelBuilder | GaugePanelBuilder | TablePanelBuilder {
  const single = spec.kind === 'stat' || spec.kind === 'gauge';
  const builder =
    spec.kind === 'table'
      ? new TablePanelBuilder().showHeader(true)
      : spec.kind === 'timeseries'
        ? new TimeseriesPanelBuilder()
            .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom))
            .fillOpacity(10)
        : spec.kind === 'stat'
          ? new StatPanelBuilder().reduceOptions(lastValue()).graphMode(common.BigValueGraphMode.Area)
          : new GaugePanelBuilder().reduceOptions(lastValue()).showThresholdMarkers(true);
  builder
    .id(id)
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .span(spec.width ?? (single ? 6 : 12))
    .height(8)
    .targets(spec.targets.map((t, i) => target(t, i, spec.kind)));
  if (spec.min !== undefined) builder.min(spec.min);
  if (spec.max !== undefined) builder.max(spec.max);
  const steps = thresholds(spec.thresholds);
  if (steps) builder.thresholds(steps);
  return builder;
}

/** `scope`: matchers of the variables above this one, so choosing a cluster narrows the jobs offered. */
function variable(spec: VariableSpec, scope: readonly ScopeMatcher[]): QueryVariableBuilder {
  const query = `label_values(${scopeSelectors(spec.metric, scope)}, ${spec.name})`;
  return (
    new QueryVariableBuilder(spec.name)
      .label(spec.label)
      .datasource(DATASOURCE)
      .query(query)
      .definition(query)
      .refresh(VariableRefresh.OnTimeRangeChanged)
      .sort(VariableSort.AlphabeticalAsc)
      .multi(spec.multi)
      .includeAll(true)
      // Queries match with =~, so "All" must be a regex matching every value, including ones
      // that appeared after the variable was last refreshed.
      .allValue('.*')
  );
}

/** The metric the `cluster`/`job` variables read label values of: the first one the dashboard uses. */
export function scopeMetric(spec: DashboardSpec): string {
  const metric =
    spec.variables[0]?.metric ?? spec.rows.flatMap((r) => r.panels.flatMap((p) => p.targets.map((t) => firstMetric(t.expr)))).find((m) => m !== undefined);
  if (!metric) throw new Error(`dashboard '${spec.uid}': no panel selects a metric, so there is nothing to read cluster/job values from`);
  return metric;
}

export interface BuildOptions {
  /** Alerts whose firing periods are drawn on every time series panel (the catalog's). */
  readonly alertNames?: readonly string[];
}

export function buildDashboard(spec: DashboardSpec, options: BuildOptions = {}): Dashboard {
  const dashboard = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([...spec.tags])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: 'now-6h', to: 'now' })
    .refresh('30s')
    .withVariable(new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'));
  const metric = scopeMetric(spec);
  dashboard.withVariable(variable({ name: 'cluster', label: 'Cluster', metric, multi: true }, []));
  dashboard.withVariable(variable({ name: 'job', label: 'Job', metric, multi: true }, SCOPE.slice(0, 1)));
  for (const v of spec.variables) dashboard.withVariable(variable(v, SCOPE));
  if (options.alertNames && options.alertNames.length > 0) {
    const expr = `ALERTS{alertstate="firing",alertname=~"${[...options.alertNames].sort().join('|')}"}`;
    dashboard.annotation(
      new AnnotationQueryBuilder()
        .name('Firing alerts')
        .datasource(DATASOURCE)
        .enable(true)
        .iconColor('red')
        .expr(expr)
        .step('60s')
        .titleFormat('{{alertname}}')
        .textFormat('{{severity}}')
        .tagKeys('alertname,severity'),
    );
  }
  let id = 1;
  for (const row of spec.rows) {
    dashboard.withRow(new RowBuilder(row.title).id(id++));
    for (const p of row.panels) dashboard.withPanel(panel(p, id++));
  }
  return dashboard.build();
}

/** Every PromQL expression of a dashboard declaration, with where it is (before cluster/job scoping). */
export function dashboardExpressions(spec: DashboardSpec): { where: string; expr: string }[] {
  return spec.rows.flatMap((row) => row.panels.flatMap((p) => p.targets.map((t) => ({ where: `${spec.uid} › ${row.title} › ${p.title}`, expr: t.expr }))));
}
