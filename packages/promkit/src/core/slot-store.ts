import type { RecordedExemplar } from './metric.js';

/** What a detached child asks to get a live series back (see Metric.reattach). */
export interface SeriesOwner {
  reattach(child: object): unknown;
  /** Stamped on a series at each write, for the series TTL (see Metric.sweepIdleSeries). */
  readonly seriesEpoch: number;
  /** Set when the owner has a series TTL: only then does a slot keep a write-epoch column. */
  readonly seriesTtlMs: number | undefined;
}

/**
 * The numbers of every series of one metric, in one growing Float64Array. A series is
 * a slot of `width` numbers: its values (1 for a counter or gauge; buckets, sum and
 * count for a histogram), then its creation time in seconds, then (only for a metric
 * with a series TTL) the owner's `seriesEpoch` at its last write: without a TTL that
 * column would cost 8 bytes per series for nothing. Compared with a typed array or a boxed double per series this saves
 * hundreds of bytes per series, and a scrape reads one contiguous array.
 *
 * A removed series' slot is recycled; its child is detached first (slot -1), so a
 * stale child can never write into a slot that now belongs to another series.
 */
export class SlotStore {
  data: Float64Array;
  private top = 0;
  private readonly freeSlots: number[] = [];
  /** Exemplars by slot; created on first use, only for metrics that record them. */
  exemplars: Map<number, RecordedExemplar | Array<RecordedExemplar | undefined>> | undefined = undefined;

  /** Numbers per series: the values, the creation time and (with a TTL) the epoch of the last write. */
  readonly width: number;
  private readonly createdIndex: number;
  private readonly touchedIndex: number;

  constructor(
    valueCount: number,
    readonly metricName: string,
    readonly owner: SeriesOwner,
    /** Ask the exemplar provider when a write brings no exemplar (metrics with enableExemplars). */
    readonly autoExemplars = false,
  ) {
    this.trackWrites = owner.seriesTtlMs !== undefined;
    this.width = valueCount + (this.trackWrites ? 2 : 1);
    this.createdIndex = valueCount;
    this.touchedIndex = valueCount + 1;
    this.data = new Float64Array(this.width * 4);
  }

  alloc(): number {
    let slot = this.freeSlots.pop();
    if (slot !== undefined) this.data.fill(0, slot, slot + this.width);
    else {
      if (this.top + this.width > this.data.length) {
        const grown = new Float64Array(this.data.length * 2);
        grown.set(this.data);
        this.data = grown;
      }
      slot = this.top;
      this.top += this.width;
    }
    this.data[slot + this.createdIndex] = Date.now() / 1000;
    if (this.trackWrites) this.data[slot + this.touchedIndex] = this.owner.seriesEpoch;
    return slot;
  }

  /** Creation time (seconds) of the series in `slot`. */
  createdOf(slot: number): number {
    return slot < 0 ? 0 : this.data[slot + this.createdIndex];
  }

  /** Whether slots have the write-epoch column (the owner has a series TTL); otherwise a write skips the stamp. */
  readonly trackWrites: boolean;
  /** The owner's seriesEpoch, copied here so a write reads no other object. */
  epoch = 1;

  /** Records a write to `slot` (for the series TTL). */
  touch(slot: number): void {
    if (this.trackWrites) this.data[slot + this.touchedIndex] = this.epoch;
  }

  /** The owner's epoch at the last write to `slot`. */
  touchedOf(slot: number): number {
    return slot < 0 || !this.trackWrites ? 0 : this.data[slot + this.touchedIndex];
  }

  /** Zeroes a series' values and restarts its creation time (prom-client's `zero()`). */
  restart(slot: number): void {
    this.data.fill(0, slot, slot + this.createdIndex);
    this.data[slot + this.createdIndex] = Date.now() / 1000;
    this.touch(slot);
    this.exemplars?.delete(slot);
  }

  free(slot: number): void {
    this.exemplars?.delete(slot);
    this.freeSlots.push(slot);
  }

  clear(): void {
    this.data = new Float64Array(this.width * 4);
    this.top = 0;
    this.freeSlots.length = 0;
    this.exemplars = undefined;
  }
}
