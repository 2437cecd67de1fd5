import { growableBuffer, isGrowable, type GrowableSharedArrayBuffer } from './growable.js';
import { lock, unlock, breakLock } from './spin-lock.js';

/** Log header, in Int32 words: the creation lock, then the number of published series. */
const LOCK = 0;
const COUNT = 1;
const LOG_HEADER_BYTES = 8;
const LOG_MAX_BYTES = 2 ** 30;
/** The largest growable SharedArrayBuffer V8 makes (a larger maxByteLength throws). */
const DATA_MAX_BYTES = 2 ** 32;

/** The two buffers of one shared metric, as they travel to workers (structured clone keeps them shared). */
export interface StoreBuffers {
  readonly data: SharedArrayBuffer;
  readonly log: SharedArrayBuffer;
}

/**
 * One metric's shared numbers and series names, as seen by one thread.
 *
 * `data` holds, per series, one column of `width` numbers per thread (values, then a
 * stamp): series `s`, column `c` starts at `(s * columns + c) * width`. A thread writes
 * only its own column, except `clearSeries()` (remove, reset), which zeroes them all.
 * The stamp is 0 while the thread never touched the series, the time it first did
 * (seconds, > 0), or minus the time of the last `clearSeries()`: such a column counts
 * again once any of its values is written (see `columnCreated`).
 *
 * `log` is an append-only list of series label texts in creation order; its index is
 * the series number in `data`. A thread appends under the log's lock and publishes by
 * bumping the count, after it has grown `data` to hold the new series; a reader that
 * loads the count therefore always finds the series' numbers in place. Label text thus
 * crosses threads once per series, never per update.
 */
export class SharedStore {
  readonly stride: number;
  readonly maxSeries: number;
  /** Fixed-length view over `data`, renewed when a series lies past it (a fixed view is faster to write than a length-tracking one). */
  view: Float64Array;
  /** `view` as Int32 words (slot i is words 2i and 2i + 1), for the few numbers published with Atomics. */
  words: Int32Array;
  private readonly header: Int32Array;
  private logBytes: Buffer;
  private cursor = LOG_HEADER_BYTES;
  /** Label text of every series this thread has read from the log, by series number. */
  readonly labelTexts: string[] = [];
  private readonly known = new Map<string, number>();

  private constructor(
    readonly metricName: string,
    readonly width: number,
    readonly columns: number,
    readonly column: number,
    readonly buffers: { readonly data: GrowableSharedArrayBuffer; readonly log: GrowableSharedArrayBuffer },
  ) {
    this.stride = width * columns;
    this.maxSeries = Math.floor(buffers.data.maxByteLength / (this.stride * 8));
    this.view = new Float64Array(buffers.data, 0, buffers.data.byteLength / 8);
    this.words = new Int32Array(buffers.data, 0, this.view.length * 2);
    this.header = new Int32Array(buffers.log, 0, 2);
    this.logBytes = Buffer.from(buffers.log, 0, buffers.log.byteLength);
  }

  static create(metricName: string, width: number, columns: number, maxSeries: number): SharedStore {
    const stride = width * columns * 8;
    const fit = Math.min(maxSeries, Math.floor(DATA_MAX_BYTES / stride));
    if (fit < 1)
      throw new RangeError(`shared metric '${metricName}': one series takes ${stride} bytes, more than the 4 GiB a shared buffer holds; lower maxThreads`);
    const data = growableBuffer(stride * Math.min(16, fit), stride * fit);
    const log = growableBuffer(4096, LOG_MAX_BYTES);
    return new SharedStore(metricName, width, columns, 0, { data, log });
  }

  static attach(metricName: string, width: number, columns: number, column: number, buffers: StoreBuffers): SharedStore {
    if (!isGrowable(buffers.data) || !isGrowable(buffers.log))
      throw new TypeError(`shared metric '${metricName}': the handle's buffers are not growable SharedArrayBuffers`);
    return new SharedStore(metricName, width, columns, column, { data: buffers.data, log: buffers.log });
  }

  /** Series published so far by any thread. */
  get publishedCount(): number {
    return Atomics.load(this.header, COUNT);
  }

  /** Reads series appended by other threads since the last call. */
  sync(): number {
    const count = Atomics.load(this.header, COUNT);
    if (this.labelTexts.length < count) {
      if (this.logBytes.length < this.buffers.log.byteLength) this.logBytes = Buffer.from(this.buffers.log, 0, this.buffers.log.byteLength);
      const bytes = this.logBytes;
      while (this.labelTexts.length < count) {
        const length = bytes.readUInt32LE(this.cursor);
        const text = bytes.toString('utf8', this.cursor + 4, this.cursor + 4 + length);
        this.known.set(text, this.labelTexts.length);
        this.labelTexts.push(text);
        this.cursor += 4 + align4(length);
      }
    }
    this.ensureView(count);
    return count;
  }

  /** The series number of a label text, appending it to the log when no thread has yet. */
  seriesFor(labelText: string): number {
    let series = this.known.get(labelText);
    if (series !== undefined) return series;
    this.sync();
    series = this.known.get(labelText);
    if (series !== undefined) return series;
    lock(this.header, LOCK, this.column);
    try {
      this.sync();
      series = this.known.get(labelText);
      if (series === undefined) series = this.append(labelText);
    } finally {
      unlock(this.header, LOCK);
    }
    return series;
  }

  /** Frees the creation lock if a dead column held it (a terminated worker cannot unlock). */
  breakLockOf(column: number): void {
    breakLock(this.header, LOCK, column);
  }

  private append(labelText: string): number {
    const series = this.labelTexts.length;
    if (series >= this.maxSeries) {
      const why =
        (this.maxSeries + 1) * this.stride * 8 > DATA_MAX_BYTES
          ? `at ${this.stride * 8} bytes a series that is all a 4 GiB shared buffer holds; lower maxThreads (or a summary's windowSize)`
          : 'raise maxSeries of sharedRegistry()';
      throw new RangeError(`shared metric '${this.metricName}': more than ${this.maxSeries} series; ${why}`);
    }
    const data = this.buffers.data;
    const neededData = (series + 1) * this.stride * 8;
    if (neededData > data.byteLength) data.grow(Math.min(data.maxByteLength, Math.max(neededData, data.byteLength * 2)));
    const encoded = Buffer.from(labelText, 'utf8');
    const log = this.buffers.log;
    const neededLog = this.cursor + 4 + align4(encoded.length);
    if (neededLog > log.maxByteLength) throw new RangeError(`shared metric '${this.metricName}': label texts exceed ${log.maxByteLength} bytes`);
    if (neededLog > log.byteLength) log.grow(Math.min(log.maxByteLength, Math.max(neededLog, log.byteLength * 2)));
    if (this.logBytes.length < log.byteLength) this.logBytes = Buffer.from(log, 0, log.byteLength);
    this.logBytes.writeUInt32LE(encoded.length, this.cursor);
    encoded.copy(this.logBytes, this.cursor + 4);
    this.cursor += 4 + align4(encoded.length);
    this.known.set(labelText, series);
    this.labelTexts.push(labelText);
    // Publishing last: readers that see the new count find the label and the grown data.
    Atomics.store(this.header, COUNT, series + 1);
    this.ensureView(series + 1);
    return series;
  }

  private ensureView(seriesCount: number): void {
    if (seriesCount * this.stride > this.view.length) {
      this.view = new Float64Array(this.buffers.data, 0, this.buffers.data.byteLength / 8);
      this.words = new Int32Array(this.buffers.data, 0, this.view.length * 2);
    }
  }

  /** Where this thread's numbers of `series` start; stamps the thread's first-touch time (again after a clear). */
  offsetOf(series: number): number {
    const offset = series * this.stride + this.column * this.width;
    const createdAt = offset + this.width - 1;
    if (this.view[createdAt] <= 0) this.view[createdAt] = Date.now() / 1000;
    return offset;
  }

  /** The series number of a label text some thread has published, without publishing it. */
  find(labelText: string): number | undefined {
    const known = this.known.get(labelText);
    if (known !== undefined) return known;
    this.sync();
    return this.known.get(labelText);
  }

  /**
   * Zeroes every thread's numbers of `series` and marks the columns cleared, so the series
   * leaves scrapes until a thread writes it again (remove, reset). No lock is taken: a
   * write another thread makes at the same instant may land before the clear (and be
   * cleared) or after it (and count); one racing write may also carry its value from
   * before the clear, since a thread's add reads then writes its own column.
   */
  clearSeries(series: number): void {
    const cleared = -Date.now() / 1000;
    const view = this.view;
    for (let c = 0; c < this.columns; c++) {
      const offset = series * this.stride + c * this.width;
      view.fill(0, offset, offset + this.width - 1);
      view[offset + this.width - 1] = cleared;
    }
  }

  /**
   * Zeroes numbers `from` to `to` (exclusive; default all) of this thread's column of
   * every series: a new owner must not inherit the last owner's gauge levels or summary window.
   */
  clearColumn(from = 0, to = this.width): void {
    const count = this.sync();
    for (let s = 0; s < count; s++) {
      const offset = s * this.stride + this.column * this.width;
      this.view.fill(0, offset + from, offset + to);
    }
  }
}

/**
 * When the column at `offset` started counting for its series, or 0 if it does not
 * count: never touched, or cleared and not written since. A column cleared and then
 * written counts from the clear.
 */
export function columnCreated(view: Float64Array, offset: number, width: number): number {
  const stamp = view[offset + width - 1];
  if (stamp >= 0) return stamp;
  for (let i = offset, end = offset + width - 1; i < end; i++) if (view[i] !== 0) return -stamp;
  return 0;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
