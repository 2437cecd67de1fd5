/**
 * Scenarios 1–5: the per-request instrumentation calls. Each scenario builds its metric in
 * a private registry, and returns a `batch(n)` doing n calls plus a check that reads the
 * library's final state back: every call must have been counted (which also keeps the
 * JIT from dropping the work as dead code).
 */
import { totalOf, type BenchLabels, type Library } from '../libraries.js';

export interface PreparedScenario {
  batch(n: number): void;
  /** Throws unless the library counted exactly the calls made. */
  verify(): Promise<void>;
}

export interface HotPathScenario {
  readonly id: string;
  readonly title: string;
  prepare(lib: Library): PreparedScenario;
}

/** ~100 existing label sets, cycled through in order. */
const LABEL_SETS = 100;
const SERVICES = Array.from({ length: LABEL_SETS }, (_, i) => `svc-${i % 10}`);
const OPERATIONS = Array.from({ length: LABEL_SETS }, (_, i) => `op-${Math.floor(i / 10)}`);

/** Observed values spread over the default buckets (0.005 … 10, and some above). */
const VALUES = Array.from({ length: 1024 }, (_, i) => Math.round(Math.exp((((i * 7919) % 1024) / 1024) * 9 - 6) * 1e6) / 1e6);

async function expectTotal(what: string, got: Promise<number>, expected: number): Promise<void> {
  const total = await got;
  if (total !== expected) throw new Error(`${what}: library counted ${total}, benchmark made ${expected} calls`);
}

const boundInc: HotPathScenario = {
  id: 'bound-inc',
  title: 'bound child `inc()`',
  prepare(lib) {
    const counter = lib.counter(lib.createRegistry(), 'bench_bound_total');
    const child = counter.labels('svc-1', 'op-1');
    let ops = 0;
    return {
      batch(n) {
        for (let i = 0; i < n; i++) child.inc();
        ops += n;
      },
      verify: () => expectTotal('bound inc', totalOf(counter), ops),
    };
  },
};

const labelsInc: HotPathScenario = {
  id: 'labels-inc',
  title: '`counter.labels(a, b).inc()` (100 label sets)',
  prepare(lib) {
    const counter = lib.counter(lib.createRegistry(), 'bench_labels_total');
    for (let j = 0; j < LABEL_SETS; j++) counter.labels(SERVICES[j], OPERATIONS[j]).inc();
    let ops = LABEL_SETS;
    let j = 0;
    return {
      batch(n) {
        for (let i = 0; i < n; i++) {
          counter.labels(SERVICES[j], OPERATIONS[j]).inc();
          if (++j === LABEL_SETS) j = 0;
        }
        ops += n;
      },
      verify: () => expectTotal('labels().inc', totalOf(counter), ops),
    };
  },
};

const objectInc: HotPathScenario = {
  id: 'object-inc',
  title: '`counter.inc({labels}, 1)` (100 label sets)',
  prepare(lib) {
    const counter = lib.counter(lib.createRegistry(), 'bench_object_total');
    for (let j = 0; j < LABEL_SETS; j++) counter.inc({ service: SERVICES[j], operation: OPERATIONS[j] }, 1);
    let ops = LABEL_SETS;
    let j = 0;
    return {
      batch(n) {
        for (let i = 0; i < n; i++) {
          // A fresh literal per call, as instrumented code writes it.
          const labels: BenchLabels = { service: SERVICES[j], operation: OPERATIONS[j] };
          counter.inc(labels, 1);
          if (++j === LABEL_SETS) j = 0;
        }
        ops += n;
      },
      verify: () => expectTotal('inc({labels})', totalOf(counter), ops),
    };
  },
};

const boundObserve: HotPathScenario = {
  id: 'bound-observe',
  title: 'bound histogram `observe()`',
  prepare(lib) {
    const histogram = lib.histogram(lib.createRegistry(), 'bench_bound_seconds');
    const child = histogram.labels('svc-1', 'op-1');
    let ops = 0;
    let k = 0;
    return {
      batch(n) {
        for (let i = 0; i < n; i++) {
          child.observe(VALUES[k]);
          k = (k + 1) & 1023;
        }
        ops += n;
      },
      verify: () => expectTotal('bound observe', totalOf(histogram, '_count'), ops),
    };
  },
};

const objectObserve: HotPathScenario = {
  id: 'object-observe',
  title: '`histogram.observe({labels}, v)` (100 label sets)',
  prepare(lib) {
    const histogram = lib.histogram(lib.createRegistry(), 'bench_object_seconds');
    for (let j = 0; j < LABEL_SETS; j++) histogram.observe({ service: SERVICES[j], operation: OPERATIONS[j] }, VALUES[j]);
    let ops = LABEL_SETS;
    let j = 0;
    let k = 0;
    return {
      batch(n) {
        for (let i = 0; i < n; i++) {
          const labels: BenchLabels = { service: SERVICES[j], operation: OPERATIONS[j] };
          histogram.observe(labels, VALUES[k]);
          if (++j === LABEL_SETS) j = 0;
          k = (k + 1) & 1023;
        }
        ops += n;
      },
      verify: () => expectTotal('observe({labels})', totalOf(histogram, '_count'), ops),
    };
  },
};

export const HOT_PATH_SCENARIOS: readonly HotPathScenario[] = [boundInc, labelsInc, objectInc, boundObserve, objectObserve];
