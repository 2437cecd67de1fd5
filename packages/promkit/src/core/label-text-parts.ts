/**
 * A labelled series keeps its label text in two pieces: the head, `a="x",b="` (every
 * label but the last, then the last one's name), which all series under the same index
 * node share, and the escaped last value, which is the index's own key string when no
 * escaping was needed. So a series holds no label text of its own: the full
 * `a="x",b="y"` (46 B of characters and a 16 B header in the benchmark) was a third of
 * its heap. `last` undefined means `head` is the whole text (no labels, or labels
 * written in a record's own order).
 */
export function joinLabelText(head: string, last: string | undefined): string {
  return last === undefined ? head : `${head}${last}"`;
}

/** `a="x",b="` for label names and all values but the last (already escaped). */
export function labelTextHead(names: readonly string[], escapedLeading: readonly string[]): string {
  const parts = new Array<string>(names.length);
  for (let i = 0; i < names.length - 1; i++) parts[i] = `${names[i]}="${escapedLeading[i]}",`;
  parts[names.length - 1] = `${names[names.length - 1]}="`;
  // Array#join returns a flat string: the head is kept for as long as its series.
  return parts.join('');
}
