/**
 * An independent protobuf wire decoder for the tests: reads delimited MetricFamily
 * messages (and remote-write WriteRequests) field by field, accepting packed and
 * unpacked repeated scalars as any conforming parser must.
 */

export type Field = { n: number; wire: number; varint?: bigint; bytes?: Uint8Array; fixed64?: number };

export function readVarint(buf: Uint8Array, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const b = buf[pos++];
    result |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return [result, pos];
    shift += 7n;
  }
}

export function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, p1] = readVarint(buf, pos);
    pos = p1;
    const n = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [v, p2] = readVarint(buf, pos);
      out.push({ n, wire, varint: v });
      pos = p2;
    } else if (wire === 1) {
      out.push({ n, wire, fixed64: new DataView(buf.buffer, buf.byteOffset + pos, 8).getFloat64(0, true) });
      pos += 8;
    } else if (wire === 2) {
      const [len, p2] = readVarint(buf, pos);
      out.push({ n, wire, bytes: buf.subarray(p2, p2 + Number(len)) });
      pos = p2 + Number(len);
      if (pos > buf.length) throw new Error('truncated length-delimited field');
    } else throw new Error(`unexpected wire type ${wire}`);
  }
  return out;
}

const text = new TextDecoder('utf-8', { fatal: true });
export const str = (f: Field | undefined): string => (f?.bytes ? text.decode(f.bytes) : '');
export const dbl = (f: Field | undefined): number => f?.fixed64 ?? 0;
export const uint = (f: Field | undefined): number => (f?.varint === undefined ? 0 : Number(f.varint));
export const unzigzag = (v: bigint): number => Number((v >> 1n) ^ -(v & 1n));
export const sint = (f: Field | undefined): number => (f?.varint === undefined ? 0 : unzigzag(f.varint));
export const one = (fs: Field[], n: number): Field | undefined => fs.filter((f) => f.n === n).at(-1);
export const all = (fs: Field[], n: number): Field[] => fs.filter((f) => f.n === n);

/** Repeated sint64, packed or not. */
export function sints(fs: Field[], n: number): number[] {
  const out: number[] = [];
  for (const f of all(fs, n)) {
    if (f.varint !== undefined) out.push(unzigzag(f.varint));
    else if (f.bytes) {
      let pos = 0;
      while (pos < f.bytes.length) {
        const [v, p] = readVarint(f.bytes, pos);
        out.push(unzigzag(v));
        pos = p;
      }
    }
  }
  return out;
}

export function spans(fs: Field[], n: number): Array<{ offset: number; length: number }> {
  return all(fs, n).map((f) => {
    const s = fields(f.bytes!);
    return { offset: sint(one(s, 1)), length: uint(one(s, 2)) };
  });
}

export function labelPairs(fs: Field[], n: number): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const f of all(fs, n)) {
    const p = fields(f.bytes!);
    labels[str(one(p, 1))] = str(one(p, 2));
  }
  return labels;
}

/** Absolute bucket counts by key from spans and deltas. */
export function nativeBuckets(spanList: Array<{ offset: number; length: number }>, deltas: number[]): Map<number, number> {
  const out = new Map<number, number>();
  let key = 0;
  let count = 0;
  let d = 0;
  spanList.forEach((span, i) => {
    key += span.offset + (i === 0 ? 0 : 0);
    for (let j = 0; j < span.length; j++) {
      count += deltas[d++];
      if (count !== 0) out.set(key, count);
      key++;
    }
  });
  if (d !== deltas.length) throw new Error(`spans cover ${d} buckets but there are ${deltas.length} deltas`);
  return out;
}

export interface DecodedNative {
  schema: number;
  zeroThreshold: number;
  zeroCount: number;
  positive: Map<number, number>;
  negative: Map<number, number>;
  spansSeen: number;
}

export interface DecodedMetric {
  labels: Record<string, string>;
  counter?: number;
  gauge?: number;
  untyped?: number;
  exemplar?: { labels: Record<string, string>; value: number; timestamp: number };
  histogram?: { count: number; sum: number; buckets: Array<{ upperBound: number; cumulative: number }>; native?: DecodedNative };
  summary?: { count: number; sum: number; quantiles: Array<[number, number]> };
}

export interface DecodedFamily {
  name: string;
  help: string;
  type: number;
  metrics: DecodedMetric[];
}

function decodeExemplar(bytes: Uint8Array): DecodedMetric['exemplar'] {
  const e = fields(bytes);
  const ts = one(e, 3);
  const t = ts ? fields(ts.bytes!) : [];
  return { labels: labelPairs(e, 1), value: dbl(one(e, 2)), timestamp: uint(one(t, 1)) + uint(one(t, 2)) / 1e9 };
}

export function decodeMetric(bytes: Uint8Array): DecodedMetric {
  const m = fields(bytes);
  const out: DecodedMetric = { labels: labelPairs(m, 1) };
  const counter = one(m, 3);
  if (counter) {
    const c = fields(counter.bytes!);
    out.counter = dbl(one(c, 1));
    const e = one(c, 2);
    if (e) out.exemplar = decodeExemplar(e.bytes!);
  }
  const gauge = one(m, 2);
  if (gauge) out.gauge = dbl(one(fields(gauge.bytes!), 1));
  const untyped = one(m, 5);
  if (untyped) out.untyped = dbl(one(fields(untyped.bytes!), 1));
  const summary = one(m, 4);
  if (summary) {
    const s = fields(summary.bytes!);
    out.summary = {
      count: uint(one(s, 1)),
      sum: dbl(one(s, 2)),
      quantiles: all(s, 3).map((q) => {
        const qf = fields(q.bytes!);
        return [dbl(one(qf, 1)), dbl(one(qf, 2))];
      }),
    };
  }
  const histogram = one(m, 7);
  if (histogram) {
    const h = fields(histogram.bytes!);
    out.histogram = {
      count: uint(one(h, 1)),
      sum: dbl(one(h, 2)),
      buckets: all(h, 3).map((b) => {
        const bf = fields(b.bytes!);
        return { upperBound: dbl(one(bf, 2)), cumulative: uint(one(bf, 1)) };
      }),
    };
    if (one(h, 5) !== undefined) {
      const pos = spans(h, 12);
      const neg = spans(h, 9);
      out.histogram.native = {
        schema: sint(one(h, 5)),
        zeroThreshold: dbl(one(h, 6)),
        zeroCount: uint(one(h, 7)),
        positive: nativeBuckets(pos, sints(h, 13)),
        negative: nativeBuckets(neg, sints(h, 10)),
        spansSeen: pos.length + neg.length,
      };
    }
  }
  return out;
}

/** Reads a delimited stream of MetricFamily messages. */
export function decodeDelimited(buf: Uint8Array): DecodedFamily[] {
  const families: DecodedFamily[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [len, p] = readVarint(buf, pos);
    const body = buf.subarray(p, p + Number(len));
    if (body.length !== Number(len)) throw new Error('truncated MetricFamily');
    pos = p + Number(len);
    const f = fields(body);
    families.push({ name: str(one(f, 1)), help: str(one(f, 2)), type: uint(one(f, 3)), metrics: all(f, 4).map((m) => decodeMetric(m.bytes!)) });
  }
  return families;
}

const TYPE_NAMES = ['counter', 'gauge', 'summary', 'untyped', 'histogram'];

/**
 * Flattens decoded families into text-format samples, the way Prometheus ingests a
 * classic protobuf family (+Inf bucket from the count when absent).
 */
export function flattenToSamples(
  families: DecodedFamily[],
): Array<{ family: string; type: string; name: string; labels: Record<string, string>; value: number }> {
  const out: Array<{ family: string; type: string; name: string; labels: Record<string, string>; value: number }> = [];
  for (const fam of families) {
    const type = TYPE_NAMES[fam.type];
    for (const m of fam.metrics) {
      const push = (name: string, labels: Record<string, string>, value: number) => out.push({ family: fam.name, type, name, labels, value });
      if (m.counter !== undefined) push(fam.name, m.labels, m.counter);
      if (m.gauge !== undefined) push(fam.name, m.labels, m.gauge);
      if (m.untyped !== undefined) push(fam.name, m.labels, m.untyped);
      if (m.summary) {
        for (const [q, v] of m.summary.quantiles) push(fam.name, { ...m.labels, quantile: String(q) }, v);
        push(`${fam.name}_sum`, m.labels, m.summary.sum);
        push(`${fam.name}_count`, m.labels, m.summary.count);
      }
      if (m.histogram) {
        for (const b of m.histogram.buckets) push(`${fam.name}_bucket`, { ...m.labels, le: String(b.upperBound) }, b.cumulative);
        if (m.histogram.buckets.at(-1)?.upperBound !== Infinity) push(`${fam.name}_bucket`, { ...m.labels, le: '+Inf' }, m.histogram.count);
        push(`${fam.name}_sum`, m.labels, m.histogram.sum);
        push(`${fam.name}_count`, m.labels, m.histogram.count);
      }
    }
  }
  return out;
}
