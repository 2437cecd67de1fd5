import { parser } from '@prometheus-io/lezer-promql';
import type { KnownSeries } from './known-metrics.js';
import { checkVectorMatching, type SyntaxNode } from './vector-matching.js';

export interface LintResult {
  /** Empty when the expression is fine. */
  readonly problems: readonly string[];
  /** Series names the expression selects, in order of appearance. */
  readonly metrics: readonly string[];
}

/**
 * Labels every scraped series carries besides its own: target labels, and `cluster`, which
 * multi-cluster setups add as an external or target label (dashboards filter on it; where
 * it is absent `cluster=~".*"` still matches).
 */
const TARGET_LABELS = new Set(['job', 'instance', 'cluster']);

function unquote(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  if (literal.startsWith("'")) return JSON.parse(`"${literal.slice(1, -1).replace(/"/g, '\\"').replace(/\\'/g, "'")}"`) as string;
  return JSON.parse(literal) as string;
}

interface Matcher {
  readonly label: string;
  readonly op: string;
  readonly value: string;
}

function matchersOf(selector: SyntaxNode, text: (n: SyntaxNode) => string): Matcher[] {
  const matchers: Matcher[] = [];
  const list = selector.getChild('LabelMatchers');
  for (const m of list?.getChildren('UnquotedLabelMatcher') ?? []) {
    const label = m.getChild('LabelName');
    const op = m.getChild('MatchOp');
    const value = m.getChild('StringLiteral');
    if (label && op && value) matchers.push({ label: text(label), op: text(op), value: unquote(text(value)) });
  }
  return matchers;
}

/** Values a matcher can match when it is a plain value or a plain `a|b` alternation; else undefined. */
function literalAlternatives(m: Matcher): string[] | undefined {
  if (m.op === '=') return [m.value];
  if (m.op === '=~' && /^[\w.-]+(\|[\w.-]+)*$/.test(m.value)) return m.value.split('|');
  return undefined;
}

function checkMatchers(name: string, series: KnownSeries, matchers: readonly Matcher[], problems: string[]): void {
  const spec = series.spec;
  if (!spec) return;
  const allowed = new Set<string>([...spec.labelNames, ...TARGET_LABELS, '__name__']);
  if (series.suffix === '_bucket') allowed.add('le');
  for (const m of matchers) {
    if (!allowed.has(m.label)) {
      problems.push(`${name} has no label '${m.label}' (labels: ${[...allowed].filter((l) => l !== '__name__').join(', ')})`);
      continue;
    }
    const documented = (spec.labelValues as Record<string, readonly string[] | undefined> | undefined)?.[m.label];
    const values = literalAlternatives(m);
    if (!documented || !values) continue;
    for (const v of values) {
      if (!documented.includes(v)) {
        problems.push(`${name}{${m.label}=${JSON.stringify(v)}}: '${v}' is not a documented value of ${m.label} (${documented.join(', ')})`);
      }
    }
  }
}

/**
 * Parses a PromQL expression with Prometheus' own lezer grammar and checks that every
 * selector names a known series, with labels that series has and documented label values,
 * and that binary operations can match (see vector-matching.ts).
 * The grammar is more lenient than Prometheus (it does not type-check), which is why tests
 * also evaluate every expression on a real Prometheus.
 */
export function lintPromql(expr: string, known: ReadonlyMap<string, KnownSeries>): LintResult {
  const problems: string[] = [];
  const metrics: string[] = [];
  const text = (n: SyntaxNode): string => expr.slice(n.from, n.to);
  const tree = parser.parse(expr);
  tree.iterate({
    enter(ref) {
      if (ref.type.isError) {
        const near = expr.slice(ref.from, ref.from + 20) || 'end of input';
        problems.push(`syntax error at offset ${ref.from}, near '${near}'`);
        return;
      }
      if (ref.name !== 'VectorSelector') return;
      const node = ref.node;
      const matchers = matchersOf(node, text);
      const identifier = node.getChild('Identifier');
      const nameMatcher = matchers.find((m) => m.label === '__name__' && m.op === '=');
      const name = identifier ? text(identifier) : nameMatcher?.value;
      if (name === undefined) {
        problems.push(`selector ${text(node)} names no metric: every selector must name one so it can be checked`);
        return;
      }
      metrics.push(name);
      const series = known.get(name);
      if (!series) {
        if (known.get(`${name}_bucket`)?.spec?.name === name) {
          problems.push(`${name} is a histogram: it has no series of that name, select ${name}_bucket, _sum or _count`);
          return;
        }
        problems.push(`unknown metric '${name}': not in a catalog, not a recording rule, not a documented outside metric`);
        return;
      }
      checkMatchers(name, series, matchers, problems);
    },
  });
  // Matching checks need a well-formed tree; a syntax error is already reported.
  if (problems.length === 0) problems.push(...checkVectorMatching(tree.topNode, expr, known));
  return { problems, metrics };
}
