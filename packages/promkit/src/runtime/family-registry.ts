import { DEFAULT_BUCKETS, normaliseBuckets } from '../core/buckets.js';
import { Counter } from '../core/counter.js';
import { Gauge } from '../core/gauge.js';
import { Histogram } from '../core/histogram.js';
import type { NativeHistogramConfiguration } from '../core/native-histogram.js';
import type { Registry } from '../core/registry.js';
import { validateLabelName } from '../core/validation.js';

export type FamilyKind = 'counter' | 'gauge' | 'histogram';
export type CoreMetric = Counter | Gauge | Histogram;

/** What a factory call asks for; `where` names the calling scope in errors. */
export interface FamilyRequest {
  kind: FamilyKind;
  /** Full exposed name (prefix included). */
  name: string;
  help: string;
  autoLabelNames: readonly string[];
  constLabels: Readonly<Record<string, string>>;
  userLabelNames: readonly string[];
  buckets?: readonly number[];
  /** Native-histogram settings (histograms only), as the Histogram config names them. */
  native?: NativeHistogramConfiguration;
  where: string;
}

/** One exposed family: one core metric whose labels are [auto..., const..., user...]. */
export interface Family {
  readonly kind: FamilyKind;
  readonly name: string;
  readonly help: string;
  readonly autoLabelNames: readonly string[];
  readonly constLabelNames: readonly string[];
  readonly userLabelNames: readonly string[];
  readonly upperBounds: readonly number[] | undefined;
  /** The native-histogram settings given at creation, as a canonical string ('' for none). */
  readonly nativeKey: string;
  readonly metric: CoreMetric;
  readonly createdAt: string;
}

const list = (names: readonly string[]): string => `[${names.join(', ')}]`;
const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));
const sameList = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const nativeKeyOf = (native: NativeHistogramConfiguration | undefined): string =>
  native === undefined
    ? ''
    : Object.entries(native)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(', ');
/** As the core Histogram (and client_golang): native buckets and no classic buckets asked for means only +Inf. */
const classicOff = (request: FamilyRequest): boolean => request.buckets === undefined && request.native?.nativeHistogramBucketFactor !== undefined;

/**
 * The runtime's families by name. The same name asked for again with the same shape (from
 * another scope of the same level) joins the existing family, becoming more series of it;
 * any other shape is an error naming both call sites.
 */
export class FamilyRegistry {
  private readonly byName = new Map<string, Family>();

  /**
   * @param reserved auto label name → the level that owns it, for collision errors.
   * @param renameHint how to free a reserved name (shown in errors).
   */
  constructor(
    private readonly registry: Registry,
    private readonly reserved: ReadonlyMap<string, string>,
    private readonly renameHint: string,
  ) {}

  [Symbol.iterator](): IterableIterator<Family> {
    return this.byName.values();
  }

  /** The family for the request, and the label values that bind a handle to the calling scope. */
  obtain(request: FamilyRequest, autoValues: readonly string[]): { family: Family; boundValues: string[] } {
    this.checkLabels(request);
    const upperBounds =
      request.kind !== 'histogram' ? undefined : classicOff(request) ? [] : normaliseBuckets(request.name, request.buckets ?? DEFAULT_BUCKETS);
    const family = this.byName.get(request.name) ?? this.create(request, upperBounds);
    this.assertSameShape(family, request, upperBounds);
    const constValues = family.constLabelNames.map((n) => request.constLabels[n]);
    return { family, boundValues: [...autoValues, ...constValues] };
  }

  private checkLabels(request: FamilyRequest): void {
    const constNames = Object.keys(request.constLabels);
    for (const [kind, names] of [
      ['const', constNames],
      ['variable', request.userLabelNames],
    ] as const) {
      for (const n of names) {
        const level = this.reserved.get(n);
        if (level !== undefined) {
          throw new TypeError(
            `metric '${request.name}': ${kind} label '${n}' collides with the auto label the runtime adds for the ${level} level; rename it, or ${this.renameHint}`,
          );
        }
        if (!validateLabelName(n))
          throw new TypeError(`metric '${request.name}': invalid ${kind} label name '${n}': names must match [a-zA-Z_][a-zA-Z0-9_]* and not start with __`);
      }
    }
    const both = constNames.find((n) => request.userLabelNames.includes(n));
    if (both !== undefined) throw new TypeError(`metric '${request.name}': label '${both}' is given both as a const label and as a variable label`);
  }

  private create(request: FamilyRequest, upperBounds: readonly number[] | undefined): Family {
    const constLabelNames = Object.keys(request.constLabels);
    const labelNames = [...request.autoLabelNames, ...constLabelNames, ...request.userLabelNames];
    const config = { name: request.name, help: request.help, labelNames, registers: [this.registry] };
    const metric =
      request.kind === 'counter'
        ? new Counter(config)
        : request.kind === 'gauge'
          ? new Gauge(config)
          : new Histogram({ ...request.native, ...config, buckets: classicOff(request) ? undefined : upperBounds });
    const family: Family = {
      kind: request.kind,
      name: request.name,
      help: request.help,
      autoLabelNames: [...request.autoLabelNames],
      constLabelNames,
      userLabelNames: [...request.userLabelNames],
      upperBounds,
      nativeKey: nativeKeyOf(request.native),
      metric,
      createdAt: request.where,
    };
    this.byName.set(request.name, family);
    return family;
  }

  private assertSameShape(family: Family, request: FamilyRequest, upperBounds: readonly number[] | undefined): void {
    const differences: string[] = [];
    if (family.kind !== request.kind) differences.push(`type ${family.kind} vs ${request.kind}`);
    if (family.help !== request.help) differences.push(`help ${JSON.stringify(family.help)} vs ${JSON.stringify(request.help)}`);
    const constNames = Object.keys(request.constLabels);
    if (
      !sameList(family.autoLabelNames, request.autoLabelNames) ||
      !sameSet(family.constLabelNames, constNames) ||
      !sameList(family.userLabelNames, request.userLabelNames)
    ) {
      const had = [...family.autoLabelNames, ...family.constLabelNames, ...family.userLabelNames];
      const asked = [...request.autoLabelNames, ...constNames, ...request.userLabelNames];
      differences.push(`labels ${list(had)} vs ${list(asked)}`);
    }
    if (family.kind === 'histogram' && request.kind === 'histogram' && !sameList(family.upperBounds ?? [], upperBounds ?? [])) {
      differences.push(`buckets ${list((family.upperBounds ?? []).map(String))} vs ${list((upperBounds ?? []).map(String))}`);
    }
    if (family.kind === 'histogram' && request.kind === 'histogram' && family.nativeKey !== nativeKeyOf(request.native)) {
      differences.push(`native histogram settings {${family.nativeKey}} vs {${nativeKeyOf(request.native)}}`);
    }
    if (differences.length === 0) return;
    throw new TypeError(
      `metric '${request.name}' already exists (created at ${family.createdAt}) with a different shape than asked at ${request.where}: ` +
        `${differences.join('; ')}. One name keeps one type, help, label set, buckets and native-histogram settings across the runtime; ` +
        'the same name on scopes of one level becomes more series of one family.',
    );
  }
}
