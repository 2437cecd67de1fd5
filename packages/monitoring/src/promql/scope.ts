import { parser } from '@prometheus-io/lezer-promql';

/** A matcher to add to selectors, e.g. `{ label: 'job', value: '$job' }` (always `=~`). */
export interface ScopeMatcher {
  readonly label: string;
  readonly value: string;
}

/**
 * Adds `label=~"value"` to every vector selector of `expr` that does not already match on
 * that label, so dashboard-wide variables (`cluster`, `job`) narrow every query without
 * each panel declaration repeating them. Parses with Prometheus' grammar, so selectors
 * inside functions, subqueries and both sides of binary operators are all found.
 */
export function scopeSelectors(expr: string, matchers: readonly ScopeMatcher[]): string {
  const inserts: { at: number; text: string }[] = [];
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.name !== 'VectorSelector') return;
      const node = ref.node;
      const list = node.getChild('LabelMatchers');
      const present = new Set(
        (list?.getChildren('UnquotedLabelMatcher') ?? []).map((m) => {
          const name = m.getChild('LabelName');
          return name ? expr.slice(name.from, name.to) : '';
        }),
      );
      const add = matchers.filter((m) => !present.has(m.label)).map((m) => `${m.label}=~${JSON.stringify(m.value)}`);
      if (add.length === 0) return;
      if (list) {
        const inner = expr.slice(list.from + 1, list.to - 1).trim();
        inserts.push({ at: list.from + 1, text: inner === '' ? add.join(',') : `${add.join(',')},` });
      } else {
        inserts.push({ at: node.to, text: `{${add.join(',')}}` });
      }
    },
  });
  let out = expr;
  for (const { at, text } of inserts.sort((a, b) => b.at - a.at)) out = out.slice(0, at) + text + out.slice(at);
  return out;
}

/** The first metric name an expression selects, or undefined. */
export function firstMetric(expr: string): string | undefined {
  let found: string | undefined;
  parser.parse(expr).iterate({
    enter(ref) {
      if (found !== undefined) return false;
      if (ref.name !== 'VectorSelector') return;
      const id = ref.node.getChild('Identifier');
      if (id) found = expr.slice(id.from, id.to);
      return false;
    },
  });
  return found;
}
