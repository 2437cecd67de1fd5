/**
 * The three libraries behind one small interface. All three share prom-client's API
 * (`labels(...)` → child, `inc(labels, v)`, `observe(labels, v)`, `get()`,
 * `registry.metrics()`), so each adapter only constructs objects; the benchmark loops
 * call the libraries' own methods directly. A child process loads just one library.
 */

export const LIBRARY_IDS = ['promkit', 'prom-client', '@prometheus-io/client'] as const;
export type LibraryId = (typeof LIBRARY_IDS)[number];

export const LABEL_NAMES = ['service', 'operation'] as const;
export interface BenchLabels {
  service: string;
  operation: string;
}

interface MetricJson {
  values: Array<{ value: number; metricName?: string }>;
}

export interface BenchCounter {
  labels(service: string, operation: string): { inc(value?: number): void };
  inc(labels: BenchLabels, value: number): void;
  get(): Promise<MetricJson>;
}

export interface BenchHistogram {
  labels(service: string, operation: string): { observe(value: number): void };
  observe(labels: BenchLabels, value: number): void;
  get(): Promise<MetricJson>;
}

export interface BenchRegistry {
  metrics(): Promise<string>;
}

export interface Library {
  readonly id: LibraryId;
  readonly version: string;
  createRegistry(): BenchRegistry;
  counter(registry: BenchRegistry, name: string): BenchCounter;
  /** Default buckets (prom-client's, which all three share). */
  histogram(registry: BenchRegistry, name: string): BenchHistogram;
}

/** prom-client and @prometheus-io/client have the same constructor shapes. */
interface PromClientLike {
  Registry: new () => unknown;
  Counter: new (config: object) => unknown;
  Histogram: new (config: object) => unknown;
}

function promClientStyle(id: LibraryId, version: string, lib: PromClientLike): Library {
  return {
    id,
    version,
    createRegistry: () => new lib.Registry() as BenchRegistry,
    counter: (registry, name) => new lib.Counter({ name, help: 'bench counter', labelNames: LABEL_NAMES, registers: [registry] }) as BenchCounter,
    histogram: (registry, name) => new lib.Histogram({ name, help: 'bench histogram', labelNames: LABEL_NAMES, registers: [registry] }) as BenchHistogram,
  };
}

export async function packageVersion(name: string): Promise<string> {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  return (require(`${name}/package.json`) as { version: string }).version;
}

export async function loadLibrary(id: LibraryId): Promise<Library> {
  switch (id) {
    case 'promkit': {
      const core = await import('promkit');
      return {
        id,
        version: await packageVersion('promkit'),
        createRegistry: () => new core.Registry(),
        counter: (registry, name) =>
          new core.Counter({ name, help: 'bench counter', labelNames: LABEL_NAMES, registers: [registry as InstanceType<typeof core.Registry>] }),
        histogram: (registry, name) =>
          new core.Histogram({ name, help: 'bench histogram', labelNames: LABEL_NAMES, registers: [registry as InstanceType<typeof core.Registry>] }),
      };
    }
    case 'prom-client':
      return promClientStyle(id, await packageVersion(id), (await import('prom-client')).default as unknown as PromClientLike);
    case '@prometheus-io/client':
      return promClientStyle(id, await packageVersion(id), (await import('@prometheus-io/client')).default as unknown as PromClientLike);
  }
}

/** Sum of all sample values named `suffix` (or all, for counters): reads the final state. */
export async function totalOf(metric: { get(): Promise<MetricJson> }, metricNameSuffix?: string): Promise<number> {
  const json = await metric.get();
  let total = 0;
  for (const v of json.values) {
    if (metricNameSuffix === undefined || v.metricName?.endsWith(metricNameSuffix)) total += v.value;
  }
  return total;
}
