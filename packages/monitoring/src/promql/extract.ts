import { parse as parseYaml } from 'yaml';
import type { Artifact } from '../artifacts.js';

/** One PromQL expression found in generated output. */
export interface FoundExpression {
  readonly file: string;
  /** Where in the file, e.g. `panel "P95 webhook duration"` or `rule DataMoverHighFailureRate`. */
  readonly where: string;
  readonly expr: string;
  /** Contains Grafana variables: expand before parsing or evaluating. */
  readonly grafana: boolean;
}

type Json = Record<string, unknown>;
const asList = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

/** Grafana's `label_values(metric, label)` is not PromQL; the metric inside it is checked as a selector. */
const LABEL_VALUES = /^label_values\((.+),\s*\w+\)$/;

function fromDashboard(file: string, dashboard: Json): FoundExpression[] {
  const found: FoundExpression[] = [];
  for (const panel of asList(dashboard.panels)) {
    for (const t of asList(panel.targets)) found.push({ file, where: `panel "${String(panel.title)}"`, expr: String(t.expr), grafana: true });
  }
  for (const a of asList((dashboard.annotations as Json | undefined)?.list)) {
    if (typeof a.expr === 'string') found.push({ file, where: `annotation "${String(a.name)}"`, expr: a.expr, grafana: true });
  }
  for (const v of asList((dashboard.templating as Json | undefined)?.list)) {
    const m = typeof v.query === 'string' ? LABEL_VALUES.exec(v.query) : null;
    if (m) found.push({ file, where: `variable ${String(v.name)}`, expr: m[1]!, grafana: true });
  }
  return found;
}

function fromRuleGroups(file: string, groups: unknown): FoundExpression[] {
  return asList(groups).flatMap((g) =>
    asList(g.rules).map((r) => ({ file, where: `rule ${String(r.alert ?? r.record)}`, expr: String(r.expr), grafana: false })),
  );
}

function fromRuleTests(file: string, doc: Json): FoundExpression[] {
  return asList(doc.tests).flatMap((t) => [
    ...asList(t.input_series).map((s) => ({ file, where: `test "${String(t.name)}" input`, expr: String(s.series), grafana: false })),
    ...asList(t.promql_expr_test).map((e) => ({ file, where: `test "${String(t.name)}"`, expr: String(e.expr), grafana: false })),
  ]);
}

function fromYaml(file: string, doc: Json): FoundExpression[] {
  if (doc.kind === 'PrometheusRule') return fromRuleGroups(file, (doc.spec as Json).groups);
  if (doc.kind === 'ConfigMap') {
    return Object.values((doc.data as Record<string, string>) ?? {}).flatMap((json) => fromDashboard(file, JSON.parse(json) as Json));
  }
  if ('groups' in doc) return fromRuleGroups(file, doc.groups);
  if ('tests' in doc) return fromRuleTests(file, doc);
  return [];
}

function fromMarkdown(file: string, text: string): FoundExpression[] {
  const found: FoundExpression[] = [];
  for (const m of text.matchAll(/```promql\n([\s\S]*?)\n```/g)) {
    found.push({ file, where: `code block at offset ${m.index}`, expr: m[1]!, grafana: false });
  }
  return found;
}

/** Every PromQL expression in generated files: panels, variables, rules, rule tests and docs. */
export function expressionsIn(artifacts: readonly Artifact[]): FoundExpression[] {
  return artifacts.flatMap((a) => {
    if (a.path.endsWith('.json')) return fromDashboard(a.path, JSON.parse(a.content) as Json);
    if (/\.ya?ml$/.test(a.path)) return fromYaml(a.path, (parseYaml(a.content) ?? {}) as Json);
    if (a.path.endsWith('.md')) return fromMarkdown(a.path, a.content);
    return [];
  });
}
