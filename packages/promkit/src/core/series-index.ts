import { labelValueToString } from './label-values.js';

/**
 * Finds the series of one metric by label values without building a key string per
 * call: one nested Map per label position, keyed by the exact value. Two different
 * label sets therefore never share a series (no separator to collide on), and a hit
 * costs one Map lookup per label.
 */
/** Distinct values remembered per label position for interning (see `intern`). */
const INTERN_LIMIT = 1024;

/** An interned value and how many index keys at its position use it. */
interface Interned {
  readonly value: string;
  keys: number;
}

export class SeriesIndex<S> {
  private root = new Map<string, unknown>();
  /** Series in the index (leaves), for the series limit. */
  private count = 0;
  /**
   * Canonical string per label value, per position; bounded, so high-cardinality labels
   * cost nothing extra. A value is dropped once no key at its position uses it, so a
   * removed series does not keep its label values alive.
   */
  private readonly interned: Array<Map<string, Interned>>;

  constructor(
    private readonly metricName: string,
    private readonly labelNames: readonly string[],
    onUnknownLabel: (labels: Readonly<Record<string, unknown>>) => void,
  ) {
    this.interned = labelNames.map(() => new Map());
    this.getByRecord = compileRecordLookup(
      labelNames,
      () => this.root,
      (i, raw) => labelValueToString(metricName, labelNames[i], raw),
      onUnknownLabel,
    );
  }

  /** Looks up by positional values; converts non-strings only when it has to. */
  getByValues(values: ArrayLike<unknown>): S | undefined {
    let node: unknown = this.root;
    const names = this.labelNames;
    for (let i = 0; i < names.length; i++) {
      const raw = values[i];
      const key = typeof raw === 'string' ? raw : labelValueToString(this.metricName, names[i], raw);
      node = (node as Map<string, unknown>).get(key);
      if (node === undefined) return undefined;
    }
    return node as S;
  }

  /**
   * Looks up by a labels record; a missing label reads as the empty string, an unknown
   * one goes to `onUnknownLabel` (which throws). Compiled
   * per metric (see compileRecordLookup) so each label is a constant-key property load.
   */
  readonly getByRecord: (labels: Readonly<Record<string, unknown>>) => S | undefined;

  /**
   * Builds `labels(v0, v1, ...)` for this label count: a hit is one Map lookup per
   * label with no array allocated; anything else (a miss, another arity, the record
   * form) goes to `fallback` with the arguments.
   */
  compilePositionalLookup<R>(fallback: (args: ArrayLike<unknown>) => R): (...values: unknown[]) => R {
    const n = this.labelNames.length;
    const params = Array.from({ length: n }, (_, i) => `v${i}`);
    let body = `if (arguments.length !== ${n} || (typeof v0 === 'object' && v0 !== null)) return fallback(arguments);\nlet node = index.root;\n`;
    params.forEach((p, i) => {
      body += `node = node.get(typeof ${p} === 'string' ? ${p} : toString(${i}, ${p}));\nif (node === undefined) return fallback(arguments);\n`;
    });
    body += 'return node;';
    const factory = new Function('index', 'toString', 'fallback', `return function labels(${params.join(', ')}) {\n${body}\n};`);
    return factory(this, (i: number, raw: unknown) => labelValueToString(this.metricName, this.labelNames[i], raw), fallback);
  }

  /**
   * Label values usually arrive as fresh strings (template literals, request data):
   * keeping the first copy of each value lets the others be collected. For a label
   * with few values across many series (a status, an operation) this saves a string
   * per series; past INTERN_LIMIT values a position stops remembering new ones.
   */
  private intern(position: number, value: string): string {
    const table = this.interned[position];
    const known = table.get(value);
    if (known !== undefined) {
      known.keys++;
      return known.value;
    }
    if (table.size < INTERN_LIMIT) table.set(value, { value, keys: 1 });
    return value;
  }

  /**
   * A key at `position` left the index. Strings cannot be compared by identity, so a
   * key stored uninterned (the table was full) may release an equal interned value
   * early: that costs only deduplication, and never keeps a value alive.
   */
  private release(position: number, value: string): void {
    const table = this.interned[position];
    const known = table.get(value);
    if (known !== undefined && --known.keys <= 0) table.delete(value);
  }

  /** How many label values the intern tables hold, over all positions. */
  get internedCount(): number {
    let n = 0;
    for (const table of this.interned) n += table.size;
    return n;
  }

  /** The map that holds (or will hold) the series of `values`, creating the maps on the way. */
  private parentFor(values: readonly string[]): Map<string, unknown> {
    let node = this.root;
    const last = values.length - 1;
    for (let i = 0; i < last; i++) {
      let next = node.get(values[i]) as Map<string, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(this.intern(i, values[i]), next);
      }
      node = next;
    }
    return node;
  }

  /** `values` must already be validated strings, one per label name. */
  set(values: readonly string[], series: S): void {
    const node = this.parentFor(values);
    const last = values.length - 1;
    // Replacing a series keeps its key, and with it the key's share of the interned value.
    if (node.has(values[last])) {
      node.set(values[last], series);
      return;
    }
    this.count++;
    node.set(this.intern(last, values[last]), series);
  }

  /**
   * Adds a series for a label set not in the index; `make` gets the map it goes into and
   * its key there (the interned copy of the last value, when there is one).
   */
  insert(values: readonly string[], make: (parent: Map<string, unknown>, lastKey: string) => S): S {
    const node = this.parentFor(values);
    const last = values.length - 1;
    // Callers look the label set up first; a replaced key would keep its interned share.
    if (node.has(values[last])) throw new Error(`series index: label set [${values.join(', ')}] is already indexed`);
    const key = this.intern(last, values[last]);
    const series = make(node, key);
    this.count++;
    node.set(key, series);
    return series;
  }

  get size(): number {
    return this.count;
  }

  /** Every series, walking the maps (no per-series bookkeeping beyond the index itself). */
  all(): Iterable<S> {
    const depth = this.labelNames.length;
    const root = this.root;
    return new Leaves<S>(root, depth);
  }

  get isEmpty(): boolean {
    return this.root.size === 0;
  }

  delete(values: readonly string[]): S | undefined {
    const path: Array<Map<string, unknown>> = [];
    let node: unknown = this.root;
    for (const v of values) {
      path.push(node as Map<string, unknown>);
      node = (node as Map<string, unknown>).get(v);
      if (node === undefined) return undefined;
    }
    this.count--;
    // Prune maps that became empty so removed label values do not leak memory.
    for (let i = values.length - 1; i >= 0; i--) {
      path[i].delete(values[i]);
      this.release(i, values[i]);
      if (path[i].size > 0) break;
    }
    return node as S;
  }

  clear(): void {
    this.root = new Map();
    this.count = 0;
    for (const table of this.interned) table.clear();
  }

  /** Every series whose leading values equal `prefix` (0 < prefix.length <= label count). */
  *under(prefix: readonly string[]): Generator<S> {
    let node: unknown = this.root;
    for (const v of prefix) {
      node = (node as Map<string, unknown>).get(v);
      if (node === undefined) return;
    }
    yield* leaves<S>(node, this.labelNames.length - prefix.length);
  }
}

/**
 * The leaves as an Iterable. A class, not an object literal with an arrow function: a
 * closure per scrape, inlined into the encoders' optimized code, died at the next full
 * GC and took that code with it ("weak objects" deoptimization, then a recompile).
 */
class Leaves<S> implements Iterable<S> {
  constructor(
    private readonly root: Map<string, unknown>,
    private readonly depth: number,
  ) {}

  [Symbol.iterator](): Iterator<S> {
    return new LeafIterator<S>(this.root, this.depth);
  }
}

/**
 * Iterates the leaves of nested maps of a fixed depth without generator overhead, and
 * without an allocation per leaf: it hands out one result object, refilled by each
 * `next()` (for-of and spread read it at once), and the maps' own results do not escape,
 * so V8 can elide them. A scrape walks every series, and a result per series was ~8 MB
 * of young garbage per scrape of the benchmark registry.
 */
class LeafIterator<S> implements Iterator<S> {
  /** Iterators of the maps above the deepest level being walked. */
  private readonly stack: Array<Iterator<unknown>> = [];
  /** The iterator of the deepest map being walked: most calls only step it. */
  private leaves: Iterator<unknown> | undefined;
  private readonly result: { done: boolean; value: S | undefined } = { done: false, value: undefined };

  constructor(
    root: Map<string, unknown>,
    private readonly depth: number,
  ) {
    if (depth <= 1) this.leaves = root.values();
    else this.stack.push(root.values());
  }

  next(): IteratorResult<S> {
    const result = this.result;
    while (this.leaves !== undefined || this.descend()) {
      const leaf = (this.leaves as Iterator<unknown>).next();
      if (!leaf.done) {
        result.value = leaf.value as S;
        return result as IteratorResult<S>;
      }
      this.leaves = undefined;
    }
    result.done = true;
    result.value = undefined;
    return result as IteratorResult<S>;
  }

  /** Moves `leaves` to the next map of the deepest level; false when there is none. */
  private descend(): boolean {
    const stack = this.stack;
    while (stack.length > 0) {
      const top = stack[stack.length - 1].next();
      if (top.done) {
        stack.pop();
        continue;
      }
      const map = top.value as Map<string, unknown>;
      if (stack.length === this.depth - 1) {
        this.leaves = map.values();
        return true;
      }
      stack.push(map.values());
    }
    return false;
  }

  [Symbol.iterator](): Iterator<S> {
    return this;
  }
}

function* leaves<S>(node: unknown, depth: number): Generator<S> {
  if (depth === 0) {
    yield node as S;
    return;
  }
  for (const child of (node as Map<string, unknown>).values()) yield* leaves<S>(child, depth - 1);
}

type ToLabelString = (index: number, raw: unknown) => string;

/**
 * Builds `labels => series` with the label names baked in as constant property keys.
 * A generic loop reads `labels[names[i]]`, a keyed load that V8 cannot cache per
 * call site; the generated code's loads are monomorphic and several times faster on
 * the `inc({ ...labels })` hot path. It also counts the record's keys against the
 * defined labels, so an unknown label is caught without a second pass. Label names
 * are validated identifiers before they get here and are embedded through
 * JSON.stringify, so no input becomes code.
 */
function compileRecordLookup(
  names: readonly string[],
  root: () => Map<string, unknown>,
  toLabelString: ToLabelString,
  onUnknownLabel: (labels: Readonly<Record<string, unknown>>) => void,
): (labels: Readonly<Record<string, unknown>>) => never {
  let body = 'let defined = 0, keys = 0, raw;\n';
  names.forEach((name, i) => {
    body += `raw = labels[${JSON.stringify(name)}];\n`;
    body += `if (raw !== undefined) defined++;\n`;
    body += `const k${i} = typeof raw === 'string' ? raw : toLabelString(${i}, raw);\n`;
  });
  body += 'for (const _ in labels) keys++;\nif (keys !== defined) onUnknownLabel(labels);\nlet node = root();\n';
  names.forEach((_, i) => {
    body += `node = node.get(k${i});\nif (node === undefined) return undefined;\n`;
  });
  body += 'return node;';
  const factory = new Function('root', 'toLabelString', 'onUnknownLabel', `return function lookup(labels) {\n${body}\n};`);
  return factory(root, toLabelString, onUnknownLabel);
}

/**
 * An exhausted iterator (and its iterable) that live as long as the module, so their
 * shapes do: see CHUNK_WRITER_SHAPE in exposition/chunk-writer.ts. Walked over two
 * object leaves so that its fields hold what a scrape's iterators hold.
 */
export const LEAVES_SHAPE = new Leaves<unknown>(
  new Map([
    [
      'a',
      new Map<string, unknown>([
        ['x', {}],
        ['y', []],
      ]),
    ],
  ]),
  2,
);
export const LEAF_ITERATOR_SHAPE = LEAVES_SHAPE[Symbol.iterator]();
while (!LEAF_ITERATOR_SHAPE.next().done) {
  // Walks it to the end, writing every field once.
}
