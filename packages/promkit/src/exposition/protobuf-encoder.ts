/**
 * The protobuf exposition format: length-delimited io.prometheus.client.MetricFamily
 * messages (client_model's metrics.proto), which Prometheus asks for when native
 * histograms are enabled. Field numbers below are metrics.proto's.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { splitLabelText } from './label-text.js';
import type { Exemplar, HistogramFamily, MetricFamily, NativeHistogramBuckets, ScalarFamily, SummaryFamily } from './model.js';
import { ProtoWriter } from './protobuf-writer.js';
import type { FamilyToEncode } from './write-exposition.js';

export { PROTOBUF_CONTENT_TYPE } from './content-types.js';

const TYPE_CODE = { counter: 0, gauge: 1, summary: 2, untyped: 3, histogram: 4 } as const;

// Metric's fields
const M_LABEL = 1;
const M_GAUGE = 2;
const M_COUNTER = 3;
const M_SUMMARY = 4;
const M_UNTYPED = 5;
const M_HISTOGRAM = 7;

export interface ProtobufEncodeOptions {
  /** Longest stretch of synchronous encoding before yielding to the event loop. Default 4 ms. */
  maxBlockMs?: number;
  /**
   * Expected size of the output (e.g. the previous scrape's), to allocate the buffer once:
   * growing it by doubling from 64 KB allocates twice the output in fresh memory, and
   * its page faults cost as much as the copies.
   */
  expectedBytes?: number;
}

/**
 * LabelPair messages written straight from a series' rendered label text (`a="x",b="y"`),
 * its pairs before `end`: no intermediate strings per series. Empty values are absent
 * labels and left out.
 */
function writeLabelText(w: ProtoWriter, text: string, end = text.length): void {
  let i = 0;
  while (i < end) {
    const eq = text.indexOf('=', i);
    if (eq < 0 || text.charCodeAt(eq + 1) !== 34) throw new TypeError(`malformed label text: ${text}`);
    if (text.charCodeAt(eq + 2) === 34) {
      i = eq + 4; // past `=""` and the comma
      continue;
    }
    w.beginMessage(M_LABEL);
    w.asciiField(1, text, i, eq);
    const close = w.escapedValueField(2, text, eq + 2);
    w.ldelim();
    i = close + 2;
  }
}

/**
 * The same from a label text in two pieces (see ScalarSeries.labelHead): the head's
 * complete pairs, then the last label's name and its escaped value `last`. The head ends
 * `,name="` (or is just `name="`), and a name holds no comma, so the head's last comma
 * ends its complete pairs whatever commas their values hold.
 */
function writeLabelParts(w: ProtoWriter, head: string, last: string): void {
  const comma = head.lastIndexOf(',');
  writeLabelText(w, head, Math.max(comma, 0));
  if (last === '') return;
  w.beginMessage(M_LABEL);
  w.asciiField(1, head, comma + 1, head.length - 2);
  w.escapedValueField(2, last, 0, true);
  w.ldelim();
}

/** Label pairs of one series: its own, then the registry's default labels. */
function writeLabels(w: ProtoWriter, s: { labelText: string; labelHead?: string; labelLast?: string | undefined }, extraLabelText: string): void {
  const last = s.labelLast;
  if (last !== undefined) writeLabelParts(w, s.labelHead as string, last);
  else writeLabelText(w, s.labelText);
  if (extraLabelText !== '') writeLabelText(w, extraLabelText);
}

function writeExemplar(w: ProtoWriter, field: number, e: Exemplar): void {
  w.beginMessage(field);
  const pairs = splitLabelText(e.labelText);
  for (let i = 0; i < pairs.length; i += 2) {
    w.beginMessage(1);
    w.stringField(1, pairs[i]);
    w.stringField(2, pairs[i + 1]);
    w.ldelim();
  }
  w.doubleField(2, e.value);
  // google.protobuf.Timestamp { seconds = 1; nanos = 2 }
  w.beginMessage(3);
  const seconds = Math.floor(e.timestamp);
  w.intField(1, seconds);
  w.intField(2, Math.round((e.timestamp - seconds) * 1e9));
  w.ldelim();
  w.ldelim();
}

function writeSpans(w: ProtoWriter, field: number, spans: NativeHistogramBuckets['positiveSpans']): void {
  for (const span of spans) {
    w.beginMessage(field);
    w.sintField(1, span.offset);
    w.uintField(2, span.length);
    w.ldelim();
  }
}

/** The native half of a Histogram message (fields 5-14). */
function writeNative(w: ProtoWriter, n: NativeHistogramBuckets): void {
  w.sintField(5, n.schema);
  w.doubleField(6, n.zeroThreshold);
  w.uintField(7, n.zeroCount);
  const negative = n.negativeSpans;
  let positive = n.positiveSpans;
  // Prometheus tells a native histogram from a classic one by its spans or zero bucket:
  // an empty one with zero threshold 0 carries one empty span as the marker (as client_golang does).
  if (negative.length === 0 && positive.length === 0 && n.zeroThreshold === 0 && n.zeroCount === 0) positive = [{ offset: 0, length: 0 }];
  writeSpans(w, 9, negative);
  w.packedSint(10, n.negativeDeltas);
  writeSpans(w, 12, positive);
  w.packedSint(13, n.positiveDeltas);
}

class Clock {
  private start = performance.now();
  private ticks = 0;
  constructor(private readonly maxBlockMs: number) {}
  /** Checked every 256 series: the clock read is not free. */
  due(): boolean {
    if ((++this.ticks & 255) !== 0) return false;
    if (performance.now() - this.start < this.maxBlockMs) return false;
    return true;
  }
  async pause(): Promise<void> {
    await yieldToEventLoop();
    this.start = performance.now();
  }
}

async function writeScalarSeries(w: ProtoWriter, family: ScalarFamily, extra: string, clock: Clock): Promise<void> {
  const field = family.type === 'counter' ? M_COUNTER : family.type === 'gauge' ? M_GAUGE : M_UNTYPED;
  const counter = family.type === 'counter';
  for (const s of family.series) {
    w.beginMessage(4);
    writeLabels(w, s, extra);
    w.beginMessage(field);
    w.doubleField(1, s.value);
    if (counter && s.exemplar !== undefined) writeExemplar(w, 2, s.exemplar);
    w.ldelim();
    w.ldelim();
    if (clock.due()) await clock.pause();
  }
}

async function writeHistogramSeries(w: ProtoWriter, family: HistogramFamily, extra: string, clock: Clock): Promise<void> {
  const bounds = family.upperBounds;
  const buckets = bounds.length + 1;
  for (const s of family.series) {
    w.beginMessage(4);
    writeLabels(w, s, extra);
    w.beginMessage(M_HISTOGRAM);
    const values = s.values;
    const offset = s.offset;
    w.uintField(1, values[offset + buckets + 1]);
    w.doubleField(2, values[offset + buckets]);
    // Finite buckets only: the +Inf bucket is optional and equals the count.
    let cumulative = 0;
    const exemplars = s.exemplars;
    for (let i = 0; i < bounds.length; i++) {
      cumulative += values[offset + i];
      w.beginMessage(3);
      w.uintField(1, cumulative);
      w.doubleField(2, bounds[i]);
      const e = exemplars?.[i];
      if (e !== undefined) writeExemplar(w, 3, e);
      w.ldelim();
    }
    const native = s.native;
    if (native !== undefined) writeNative(w, native);
    w.ldelim();
    w.ldelim();
    if (clock.due()) await clock.pause();
  }
}

async function writeSummarySeries(w: ProtoWriter, family: SummaryFamily, extra: string, clock: Clock): Promise<void> {
  for (const s of family.series) {
    w.beginMessage(4);
    writeLabels(w, s, extra);
    w.beginMessage(M_SUMMARY);
    w.uintField(1, s.count);
    w.doubleField(2, s.sum);
    for (const [q, v] of s.quantiles) {
      w.beginMessage(3);
      w.doubleField(1, q);
      w.doubleField(2, v);
      w.ldelim();
    }
    w.ldelim();
    w.ldelim();
    if (clock.due()) await clock.pause();
  }
}

async function writeFamily(w: ProtoWriter, family: MetricFamily, extra: string, clock: Clock): Promise<void> {
  // Delimited: each MetricFamily is preceded by its length as a varint.
  w.fork();
  w.stringField(1, family.name);
  w.stringField(2, family.help);
  w.uintField(3, TYPE_CODE[family.type]);
  const seriesStart = w.pos;
  if (family.type === 'histogram') await writeHistogramSeries(w, family, extra, clock);
  else if (family.type === 'summary') await writeSummarySeries(w, family, extra, clock);
  else await writeScalarSeries(w, family, extra, clock);
  // A family without series is left out, as client_golang does.
  if (w.pos === seriesStart) w.abandon();
  else w.ldelim();
}

/** Encodes families as delimited MetricFamily messages, yielding to the event loop on long runs. */
export async function encodeProtobuf(families: Iterable<FamilyToEncode>, options: ProtobufEncodeOptions = {}): Promise<Uint8Array> {
  const w = new ProtoWriter(Math.max(64 * 1024, Math.ceil((options.expectedBytes ?? 0) * 1.05)));
  const clock = new Clock(options.maxBlockMs ?? 4);
  for (const { family, extraLabelText } of families) {
    await writeFamily(w, family, extraLabelText, clock);
  }
  return w.finish();
}
