/**
 * Splits pre-rendered label text (`a="x",b="y\\"z"`, as renderLabelPairs writes it) back
 * into names and unescaped values, for the binary formats that carry label pairs.
 * A hand scanner: it runs once per series per protobuf scrape.
 */
export function splitLabelText(labelText: string, out: string[] = []): string[] {
  out.length = 0;
  const n = labelText.length;
  let i = 0;
  while (i < n) {
    const eq = labelText.indexOf('=', i);
    if (eq < 0 || labelText.charCodeAt(eq + 1) !== 34 /* " */) throw new TypeError(`malformed label text: ${labelText}`);
    const name = labelText.slice(i, eq);
    let j = eq + 2;
    let start = j;
    let value = '';
    for (;;) {
      if (j >= n) throw new TypeError(`malformed label text (unterminated value): ${labelText}`);
      const c = labelText.charCodeAt(j);
      if (c === 34) break;
      if (c === 92 /* \ */) {
        value += labelText.slice(start, j);
        const next = labelText[j + 1];
        value += next === 'n' ? '\n' : next;
        j += 2;
        start = j;
      } else j++;
    }
    value += labelText.slice(start, j);
    out.push(name, value);
    i = j + 2; // past the closing quote and the comma
  }
  return out;
}
