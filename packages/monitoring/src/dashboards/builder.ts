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
  type Dashboard,
  type Threshold,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as GaugePanelBuilder } from '@grafana/grafana-foundation-sdk/gauge';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

/**
 * Dashboards are declared as data (rows of panels with PromQL targets) and built with the
 * Grafana Foundation SDK here, so every dashboard gets the same datasource wiring, variable
 * semantics and panel defaults, and tests can walk the declarations.
 */

export interface TargetSpec {
  readonly expr: string;
  readonly legend?: string;
}

export interface PanelSpec {
  readonly kind: 'timeseries' | 'stat' | 'gauge';
  readonly title: string;
  readonly description: string;
  /** A Grafana unit id: `s`, `ops`, `reqps`, `percentunit`, `percent`, `short`, `currencyUSD`... */
  readonly unit: string;
  readonly targets: readonly TargetSpec[];
  /** Grid width out of 24 (default 12 for time series, 6 for stat/gauge). */
  readonly width?: number;
  readonly min?: number;
  readonly max?: number;
  /** Ascending [value, color] steps after the base color; e.g. success rates turn red below a bound. */
  readonly thresholds?: { readonly base: string; readonly steps: readonly (readonly [number, string])[] };
}

export interface RowSpec {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

export interface VariableSpec {
  readonly name: string;
  readonly label: string;
  /** Grafana's `label_values(metric, label)`: the metric must be one the catalog declares. */
  readonly metric: string;
  readonly multi: boolean;
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly variables: readonly VariableSpec[];
  readonly rows: readonly RowSpec[];
}

/** Panels and variables query whichever Prometheus the `datasource` variable selects. */
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

function target(spec: TargetSpec, index: number, instant: boolean): DataqueryBuilder {
  const query = new DataqueryBuilder()
    .refId(String.fromCharCode(65 + index))
    .datasource(DATASOURCE)
    .expr(spec.expr)
    .legendFormat(spec.legend ?? '__auto');
  return instant ? query.instant() : query.range();
}

function thresholds(spec: PanelSpec['thresholds']): ThresholdsConfigBuilder | undefined {
  if (!spec) return undefined;
  const steps: Threshold[] = [{ value: null, color: spec.base }, ...spec.steps.map(([value, color]) => ({ value, color }))];
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps);
}

const lastValue = (): common.ReduceDataOptionsBuilder => new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false);

function panel(spec: PanelSpec, id: number): TimeseriesPanelBuilder | StatPanelBuilder | GaugePanelBuilder {
  const single = spec.kind !== 'timeseries';
  const builder =
    spec.kind === 'timeseries'
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
    .targets(spec.targets.map((t, i) => target(t, i, single)));
  if (spec.min !== undefined) builder.min(spec.min);
  if (spec.max !== undefined) builder.max(spec.max);
  const steps = thresholds(spec.thresholds);
  if (steps) builder.thresholds(steps);
  return builder;
}

function variable(spec: VariableSpec): QueryVariableBuilder {
  const query = `label_values(${spec.metric}, ${spec.name})`;
  return new QueryVariableBuilder(spec.name)
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
    .allValue('.*');
}

export function buildDashboard(spec: DashboardSpec): Dashboard {
  const dashboard = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([...spec.tags])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: 'now-6h', to: 'now' })
    .refresh('30s')
    .withVariable(new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'));
  for (const v of spec.variables) dashboard.withVariable(variable(v));
  let id = 1;
  for (const row of spec.rows) {
    dashboard.withRow(new RowBuilder(row.title).id(id++));
    for (const p of row.panels) dashboard.withPanel(panel(p, id++));
  }
  return dashboard.build();
}

/** Every PromQL expression of a dashboard declaration, with where it is. */
export function dashboardExpressions(spec: DashboardSpec): { where: string; expr: string }[] {
  return spec.rows.flatMap((row) =>
    row.panels.flatMap((p) => p.targets.map((t) => ({ where: `${spec.uid} › ${row.title} › ${p.title}`, expr: t.expr }))),
  );
}
