import { threadId } from 'node:worker_threads';

/**
 * Which thread owns which column of the shared stores. Every series has one column of
 * numbers per thread, written by that thread alone, so updates need no Atomics and no
 * write is ever lost; a scrape sums the columns.
 *
 * A lease word is 0 when the column is free, INITIALISING while a new owner clears its
 * gauges, else the owner's threadId + 1. A released column keeps its counter and
 * histogram numbers: the next owner adds to them, so sums stay monotonic across worker
 * exits, crashes and restarts.
 */
export const FREE = 0;
export const INITIALISING = -1;

export class ColumnTable {
  readonly words: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
  }

  static create(columns: number): ColumnTable {
    return new ColumnTable(new SharedArrayBuffer(columns * 4));
  }

  get columns(): number {
    return this.words.length;
  }

  /** Claims a free column for this thread (INITIALISING until `publish`), or -1 if all are taken. */
  claim(): number {
    for (let c = 0; c < this.words.length; c++) {
      if (Atomics.compareExchange(this.words, c, FREE, INITIALISING) === FREE) return c;
    }
    return -1;
  }

  publish(column: number): void {
    Atomics.store(this.words, column, threadId + 1);
  }

  release(column: number): void {
    Atomics.store(this.words, column, FREE);
  }

  /** The column leased by a thread, or -1. */
  columnOf(ownerThreadId: number): number {
    for (let c = 0; c < this.words.length; c++) if (Atomics.load(this.words, c) === ownerThreadId + 1) return c;
    return -1;
  }

  /** A live column's gauges count at scrape time; a free or initialising one's do not. */
  isLive(column: number): boolean {
    return Atomics.load(this.words, column) > 0;
  }

  /** Columns currently leased. */
  liveCount(): number {
    let n = 0;
    for (let c = 0; c < this.words.length; c++) if (Atomics.load(this.words, c) > 0) n++;
    return n;
  }
}
