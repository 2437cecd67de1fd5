/** Escaping rules shared by both text formats. */

const LABEL_VALUE_SPECIAL = /[\\"\n]/;

/** Escapes a label value: backslash, double quote and line feed (both formats agree). */
export function escapeLabelValue(value: string): string {
  if (!LABEL_VALUE_SPECIAL.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Text 0.0.4 HELP escaping: only backslash and line feed. */
export function escapeHelpText(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** OpenMetrics HELP escaping: backslash, line feed and double quote. */
export function escapeHelpOpenMetrics(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** Renders `name="value"` pairs (no braces) for parallel name and value lists. */
export function renderLabelPairs(names: readonly string[], values: readonly string[]): string {
  let out = '';
  for (let i = 0; i < names.length; i++) {
    if (i > 0) out += ',';
    out += names[i] + '="' + escapeLabelValue(values[i]) + '"';
  }
  return out;
}

/** Renders a record of labels as pairs (no braces), in the record's key order. */
export function renderLabelRecord(labels: Readonly<Record<string, string | number>>): string {
  let out = '';
  for (const key in labels) {
    if (out !== '') out += ',';
    out += key + '="' + escapeLabelValue(String(labels[key])) + '"';
  }
  return out;
}
