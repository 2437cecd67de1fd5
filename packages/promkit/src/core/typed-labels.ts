import type { LabelValue } from './label-values.js';

/** A tuple with one label value per declared label name: `['a','b']` → `[LabelValue, LabelValue]`. */
export type LabelTuple<N extends readonly string[]> = { -readonly [K in keyof N]: LabelValue };
