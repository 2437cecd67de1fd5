import { joinLabelText } from './label-text-parts.js';
import type { SeriesBase } from './metric.js';
import type { SlotStore } from './slot-store.js';

/**
 * What every slot-backed series (counter, gauge, histogram) shares: its slot in the
 * metric's store, detaching on remove/reset and reattaching on the next write.
 */
export abstract class SlotChild<St extends SlotStore = SlotStore> implements SeriesBase {
  slot: number;

  constructor(
    /** The label text in two pieces (see label-text-parts.ts). */
    readonly labelHead: string,
    readonly labelLast: string | undefined,
    protected readonly store: St,
  ) {
    this.slot = store.alloc();
  }

  get labelText(): string {
    return joinLabelText(this.labelHead, this.labelLast);
  }

  get created(): number {
    return this.store.createdOf(this.slot);
  }

  get touched(): number {
    return this.store.touchedOf(this.slot);
  }

  /** Leaves the metric: frees the slot; writes through this child then reattach. */
  detach(): void {
    if (this.slot >= 0) this.store.free(this.slot);
    this.slot = -1;
  }

  /** Fresh storage after a detach (see Metric.reattach). */
  revive(): void {
    this.slot = this.store.alloc();
  }

  /** This child, or the live series a detached child's write must go to. */
  protected live(): this {
    return this.slot < 0 ? (this.store.owner.reattach(this) as this) : this;
  }
}

/** A series of one number (counter, gauge): its value is the slot itself. */
export abstract class ScalarSlotChild extends SlotChild<SlotStore> {
  get value(): number {
    return this.slot < 0 ? 0 : this.store.data[this.slot];
  }

  /** The current value (promkit extension; prom-client needs `await get()`). */
  get(): number {
    return this.value;
  }
}
