/**
 * prometheus.WriteRequest (remote write 1.0, prompb/remote.proto and types.proto),
 * encoded by hand with the exposition's ProtoWriter. Field numbers are the protos'.
 */
import type { NativeHistogramBuckets } from '../exposition/model.js';
import { ProtoWriter } from '../exposition/protobuf-writer.js';

/** A native histogram sample: the buckets plus the histogram's count and sum. */
export interface RemoteHistogram extends NativeHistogramBuckets {
  readonly count: number;
  readonly sum: number;
}

/** One sample of one series, as queued: either a float or a native histogram. */
export interface RemoteSample {
  /** Label names and values alternating, sorted by name, `__name__` included. */
  readonly labels: readonly string[];
  readonly timestampMs: number;
  readonly value?: number;
  readonly histogram?: RemoteHistogram;
}

function writeSpans(w: ProtoWriter, field: number, spans: NativeHistogramBuckets['positiveSpans']): void {
  for (const s of spans) {
    w.beginMessage(field);
    w.sintField(1, s.offset);
    w.uintField(2, s.length);
    w.ldelim();
  }
}

function writeHistogram(w: ProtoWriter, h: RemoteHistogram, timestampMs: number): void {
  w.beginMessage(4); // TimeSeries.histograms
  w.uintField(1, h.count); // count_int
  w.doubleField(3, h.sum);
  w.sintField(4, h.schema);
  w.doubleField(5, h.zeroThreshold);
  w.uintField(6, h.zeroCount); // zero_count_int
  writeSpans(w, 8, h.negativeSpans);
  w.packedSint(9, h.negativeDeltas);
  writeSpans(w, 11, h.positiveSpans);
  w.packedSint(12, h.positiveDeltas);
  // reset_hint (14) left UNKNOWN: the receiver detects resets itself.
  w.intField(15, timestampMs);
  w.ldelim();
}

/** Encodes the samples as one WriteRequest, each sample its own TimeSeries. */
export function encodeWriteRequest(samples: readonly RemoteSample[]): Uint8Array {
  const w = new ProtoWriter(Math.max(1024, samples.length * 96));
  for (const s of samples) {
    w.beginMessage(1); // WriteRequest.timeseries
    const labels = s.labels;
    for (let i = 0; i < labels.length; i += 2) {
      w.beginMessage(1); // TimeSeries.labels
      w.stringField(1, labels[i]);
      w.stringField(2, labels[i + 1]);
      w.ldelim();
    }
    if (s.histogram !== undefined) writeHistogram(w, s.histogram, s.timestampMs);
    else {
      w.beginMessage(2); // TimeSeries.samples
      w.doubleField(1, s.value ?? 0);
      w.intField(2, s.timestampMs);
      w.ldelim();
    }
    w.ldelim();
  }
  return w.finish();
}
