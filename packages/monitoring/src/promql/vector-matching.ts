import type { parser } from '@prometheus-io/lezer-promql';
import type { KnownSeries } from './known-metrics.js';

/** lezer's node type, reached through the PromQL parser (@lezer/common is not our dependency). */
export type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/**
 * Catches the binary operations that parse and run but cannot mean what they say, the
 * mistake the specs make most: without `on`/`ignoring`, two vectors match one-to-one on
 * *all* their labels. So `rate(x{status="ok"}) / rate(x)` divides each series by itself
 * (always 1), and `rate(a) / rate(b)` with different label names pairs nothing.
 *
 * Output labels are tracked only as far as they can be known from the catalogs; anything
 * uncertain (label_replace, recording rules, `on(...)`) is left unchecked.
 */

type Shape =
  | { readonly kind: 'scalar' }
  /** labels: the label names of the result, undefined when unknown; metric: the one selected, while it is a plain selector (possibly wrapped in label-preserving functions). */
  | { readonly kind: 'vector'; readonly labels?: ReadonlySet<string>; readonly metric?: string };

const SCALAR: Shape = { kind: 'scalar' };
const UNKNOWN: Shape = { kind: 'vector' };
const TARGET_LABELS = ['job', 'instance'];
/** Aggregations that keep their input's labels (they select series, not group them). */
const SELECTING = new Set(['topk', 'bottomk', 'limitk', 'limit_ratio']);
const UNKNOWN_LABELS = new Set(['absent', 'absent_over_time', 'label_replace', 'label_join', 'sort_by_label', 'sort_by_label_desc']);

const EXPRESSION = new Set([
  'AggregateExpr',
  'BinaryExpr',
  'FunctionCall',
  'MatrixSelector',
  'NumberDurationLiteral',
  'NumberLiteral',
  'OffsetExpr',
  'ParenExpr',
  'StepInvariantExpr',
  'StringLiteral',
  'SubqueryExpr',
  'UnaryExpr',
  'VectorSelector',
]);

function expressionChildren(node: SyntaxNode | null): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node?.firstChild ?? null; c; c = c.nextSibling) if (EXPRESSION.has(c.name)) out.push(c);
  return out;
}

const without = (labels: ReadonlySet<string> | undefined, drop: readonly string[]): ReadonlySet<string> | undefined =>
  labels && new Set([...labels].filter((l) => !drop.includes(l)));

const format = (labels: ReadonlySet<string>): string => `{${[...labels].sort().join(', ')}}`;

export function checkVectorMatching(root: SyntaxNode, expr: string, known: ReadonlyMap<string, KnownSeries>): string[] {
  const problems: string[] = [];
  const text = (n: SyntaxNode): string => expr.slice(n.from, n.to);

  const selector = (node: SyntaxNode): Shape => {
    const id = node.getChild('Identifier');
    if (!id) return UNKNOWN;
    const name = text(id);
    const series = known.get(name);
    if (series?.spec) {
      const labels = new Set([...series.spec.labelNames, ...TARGET_LABELS, ...(series.suffix === '_bucket' ? ['le'] : [])]);
      return { kind: 'vector', labels, metric: name };
    }
    if (name === 'up') return { kind: 'vector', labels: new Set(TARGET_LABELS), metric: name };
    return { kind: 'vector', metric: name };
  };

  const aggregate = (node: SyntaxNode): Shape => {
    const op = text(node.getChild('AggregateOp')!);
    const args = expressionChildren(node.getChild('FunctionCallBody'));
    const input = args.length ? shape(args[args.length - 1]!) : UNKNOWN;
    const inputLabels = input.kind === 'vector' ? input.labels : undefined;
    if (SELECTING.has(op)) return { kind: 'vector', labels: inputLabels };
    const modifier = node.getChild('AggregateModifier');
    const grouping = (modifier?.getChild('GroupingLabels')?.getChildren('LabelName') ?? []).map(text);
    let labels: ReadonlySet<string> | undefined = new Set(grouping);
    if (modifier?.getChild('Without')) labels = without(inputLabels, grouping);
    if (op === 'count_values' && labels && args[0]?.name === 'StringLiteral') labels = new Set([...labels, JSON.parse(text(args[0])) as string]);
    return { kind: 'vector', labels };
  };

  const call = (node: SyntaxNode): Shape => {
    const fn = text(node.getChild('FunctionIdentifier')!);
    const args = expressionChildren(node.getChild('FunctionCallBody')).map(shape);
    if (fn === 'vector') return { kind: 'vector', labels: new Set() };
    if (fn === 'scalar' || fn === 'time' || fn === 'pi') return SCALAR;
    if (UNKNOWN_LABELS.has(fn)) return UNKNOWN;
    const input = args.find((a) => a.kind === 'vector');
    if (input?.kind !== 'vector') return SCALAR;
    if (fn === 'histogram_quantile') return { kind: 'vector', labels: without(input.labels, ['le']) };
    return input;
  };

  const binary = (node: SyntaxNode): Shape => {
    const operands = expressionChildren(node);
    const [left, right] = [shape(operands[0]!), shape(operands[operands.length - 1]!)];
    if (left.kind === 'scalar') return right;
    if (right.kind === 'scalar') return left;
    if (node.getChild('MatchingModifierClause')) return UNKNOWN;
    const op = operands[0]!.nextSibling!;
    if (op.name === 'Or') return { kind: 'vector', labels: left.labels };
    if (op.name === 'Div' && left.metric !== undefined && left.metric === right.metric) {
      problems.push(
        `\`${text(node)}\` divides each ${left.metric} series by itself (one-to-one matching on all labels gives 1 or nothing); ` +
          'aggregate both sides to the same labels first, e.g. sum by (...) (...)',
      );
    } else if (left.labels && right.labels && format(left.labels) !== format(right.labels)) {
      problems.push(
        `\`${text(node)}\`: the sides have different labels, ${format(left.labels)} vs ${format(right.labels)}, so one-to-one ` +
          'matching pairs nothing; aggregate both sides to the same labels or match with on(...)',
      );
    }
    return { kind: 'vector', labels: left.labels };
  };

  function shape(node: SyntaxNode): Shape {
    switch (node.name) {
      case 'NumberDurationLiteral':
      case 'NumberLiteral':
      case 'StringLiteral':
        return SCALAR;
      case 'VectorSelector':
        return selector(node);
      case 'MatrixSelector':
      case 'ParenExpr':
      case 'UnaryExpr':
      case 'StepInvariantExpr': {
        const inner = expressionChildren(node).at(-1);
        return inner ? shape(inner) : UNKNOWN;
      }
      case 'OffsetExpr':
      case 'SubqueryExpr': {
        // Comparing a series with its own past is deliberate: forget which metric it was.
        const inner = shape(expressionChildren(node)[0]!);
        return inner.kind === 'vector' ? { kind: 'vector', labels: inner.labels } : inner;
      }
      case 'AggregateExpr':
        return aggregate(node);
      case 'FunctionCall':
        return call(node);
      case 'BinaryExpr':
        return binary(node);
      default:
        return UNKNOWN;
    }
  }

  const top = expressionChildren(root)[0];
  if (top) shape(top);
  return problems;
}
