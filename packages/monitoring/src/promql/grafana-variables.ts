/**
 * Dashboard queries contain Grafana variables that Prometheus cannot parse. To lint and
 * evaluate them we substitute what Grafana would send with every variable at "All".
 */
export interface GrafanaSubstitution {
  /** Replaces `$__rate_interval` / `$__interval` (default `1m`). */
  readonly rateInterval?: string;
  /** Replaces `$__range` (default `1h`). */
  readonly range?: string;
}

const BUILT_INS = /\$\{?(__rate_interval|__interval|__range)\}?/g;
/** A template variable inside a label matcher string, e.g. `=~"$namespace"`. */
const IN_STRING = /"([^"\\]*)\$\{?[A-Za-z_]\w*\}?([^"\\]*)"/g;

export function expandGrafanaVariables(expr: string, options: GrafanaSubstitution = {}): string {
  const rate = options.rateInterval ?? '1m';
  const range = options.range ?? '1h';
  let out = expr.replace(BUILT_INS, (_m, name: string) => (name === '__range' ? range : rate));
  // Our variables all use allValue `.*`; a string may hold more than one.
  let previous: string;
  do {
    previous = out;
    out = out.replace(IN_STRING, (_m, before: string, after: string) => `"${before}.*${after}"`);
  } while (out !== previous);
  if (out.includes('$'))
    throw new Error(
      `unsupported Grafana variable in ${JSON.stringify(expr)}: only $__rate_interval, $__interval, $__range and variables inside matcher strings are expanded`,
    );
  return out;
}
