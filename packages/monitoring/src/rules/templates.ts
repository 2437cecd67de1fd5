/**
 * Renders the small subset of Prometheus' Go templates our annotations use, so generated
 * promtool tests can state the exact annotations an alert fires with. Anything outside the
 * subset throws: a template we cannot render is a template we cannot test.
 */

const SI_UP = ['', 'k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
const SI_DOWN = ['', 'm', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];

/** Go's `%.4g` for the magnitudes humanize produces (1e-4 ≤ |v| < 1e4). */
function g4(v: number): string {
  return String(Number(v.toPrecision(4)));
}

/** Go's `%v` of a float64: shortest representation, exponent form outside [1e-4, 1e6). */
export function goFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return '0';
  const [mantissa, exp] = v.toExponential().split('e') as [string, string];
  const e = Number(exp);
  if (e < -4 || e >= 6) return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return String(v);
}

/** Prometheus' `humanize`: SI prefixes and 4 significant digits. */
export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return goFloat(v);
  let i = 0;
  if (Math.abs(v) >= 1) {
    while (Math.abs(v) >= 1000 && i < SI_UP.length - 1) {
      v /= 1000;
      i++;
    }
    return g4(v) + SI_UP[i];
  }
  while (Math.abs(v) < 1 && i < SI_DOWN.length - 1) {
    v *= 1000;
    i++;
  }
  return g4(v) + SI_DOWN[i];
}

export function humanizePercentage(v: number): string {
  return `${g4(v * 100)}%`;
}

const ACTION = /\{\{\s*(.*?)\s*\}\}/g;

export function renderTemplate(template: string, labels: Readonly<Record<string, string>>, value: number): string {
  return template.replace(ACTION, (_all, action: string) => {
    const label = /^\$labels\.(\w+)$/.exec(action);
    if (label) return labels[label[1]!] ?? '<no value>';
    if (action === '$value') return goFloat(value);
    if (action === '$value | humanize') return humanize(value);
    if (action === '$value | humanizePercentage') return humanizePercentage(value);
    const printf = /^\$value \| printf "%\.(\d)f"$/.exec(action);
    if (printf) return value.toFixed(Number(printf[1]));
    throw new Error(`template action {{ ${action} }} is outside the subset promkit renders in rule tests`);
  });
}
