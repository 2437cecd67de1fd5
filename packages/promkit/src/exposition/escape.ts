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

/**
 * Renders `name="value"` pairs (no braces) for parallel name and value lists. Joined
 * with Array#join so the result is one flat string: a series keeps this text for its
 * whole life, and a rope of small pieces would cost several times the memory.
 */
export function renderLabelPairs(names: readonly string[], values: readonly string[]): string {
  const parts = new Array<string>(names.length);
  for (let i = 0; i < names.length; i++) parts[i] = `${names[i]}="${escapeLabelValue(values[i])}"`;
  return parts.join(',');
}

/** Renders a record of labels as pairs (no braces), in the record's key order. */
export function renderLabelRecord(labels: Readonly<Record<string, string | number>>): string {
  let out = '';
  for (const key in labels) {
    if (out !== '') out += ',';
    out += `${key}="${escapeLabelValue(String(labels[key]))}"`;
  }
  return out;
}

/** Reverses escapeLabelValue. */
export function unescapeLabelValue(escaped: string): string {
  if (!escaped.includes('\\')) return escaped;
  return escaped.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** Label values by name from a label text written by renderLabelPairs or renderLabelRecord. */
export function parseLabelRecord(labelText: string): Record<string, string> {
  const out: Record<string, string> = {};
  const pair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
  for (let m = pair.exec(labelText); m !== null; m = pair.exec(labelText)) out[m[1]] = unescapeLabelValue(m[2]);
  return out;
}

/** Reads label text as renderLabelPairs wrote it back into values, in name order. */
export function parseLabelPairs(labelText: string): string[] {
  const values: string[] = [];
  const pair = /[a-zA-Z_][a-zA-Z0-9_]*="((?:[^"\\]|\\.)*)"/g;
  for (let m = pair.exec(labelText); m !== null; m = pair.exec(labelText)) values.push(unescapeLabelValue(m[1]));
  return values;
}
