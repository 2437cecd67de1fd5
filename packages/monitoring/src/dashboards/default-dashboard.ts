import type { Catalog, DashboardSpec, MetricSpec, PanelSpec } from 'promkit/catalog';

const W = '$__rate_interval';

/** The first label with documented values: bounded, so it is safe to split a panel by. */
function splitLabel(spec: MetricSpec): string | undefined {
  const values = (spec.labelValues ?? {}) as Record<string, readonly string[] | undefined>;
  return spec.labelNames.find((l) => values[l] && values[l]!.length > 0);
}

function panelFor(spec: MetricSpec): PanelSpec {
  const by = splitLabel(spec);
  const legend = by ? `{{${by}}}` : spec.name;
  const sumBy = (inner: string): string => (by ? `sum by (${by}) (${inner})` : `sum(${inner})`);
  const description = spec.help;
  const seconds = spec.unit === 'seconds' || spec.name.endsWith('_seconds');
  switch (spec.type) {
    case 'counter':
      return { kind: 'timeseries', title: spec.name, description, unit: 'ops', targets: [{ expr: sumBy(`rate(${spec.name}[${W}])`), legend }] };
    case 'gauge':
      return { kind: 'timeseries', title: spec.name, description, unit: seconds ? 's' : 'short', targets: [{ expr: sumBy(spec.name), legend }] };
    case 'histogram': {
      const le = by ? `${by}, le` : 'le';
      return {
        kind: 'timeseries',
        title: `${spec.name} p95`,
        description,
        unit: seconds ? 's' : 'short',
        targets: [{ expr: `histogram_quantile(0.95, sum by (${le}) (rate(${spec.name}_bucket[${W}])))`, legend }],
      };
    }
    case 'summary':
      return {
        kind: 'timeseries',
        title: `${spec.name} average`,
        description,
        unit: seconds ? 's' : 'short',
        targets: [{ expr: `${sumBy(`rate(${spec.name}_sum[${W}])`)} / ${sumBy(`rate(${spec.name}_count[${W}])`)}`, legend }],
      };
  }
}

/** For a catalog that declares no dashboard: one panel per family, split by its first documented label. */
export function defaultDashboard(catalog: Catalog): DashboardSpec {
  return {
    uid: `promkit-${catalog.id}`.slice(0, 40),
    title: catalog.title,
    description: catalog.description,
    tags: ['promkit', catalog.id],
    variables: [],
    rows: [{ title: 'Metrics', panels: Object.values(catalog.metrics).map(panelFor) }],
  };
}
