/**
 * The operator kit's entry point: one object that owns the reconcile, webhook and inventory
 * families of an operator (the Dynamo operator's by default, any other under its prefix) and
 * hands out the instrumentation built on them.
 *
 * @example
 * ```ts
 * const kit = createOperatorMetrics({ registry });
 * const reconcile = kit.instrumentReconcile('DynamoGraphDeployment', async (dgd) => ({ requeueAfter: 5000 }));
 * kit.trackInventory({ kubeConfig, path, listFn, kind: 'DynamoGraphDeployment' });
 * ```
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { globalRegistry, type Registry } from 'promkit';
import { classifyError, type ErrorType } from './error-taxonomy.js';
import { dynamoStatusOf, type StatusExtractor } from './inventory/dynamo-status.js';
import { InventoryTracker, type InventorySettings, type InventorySource, type TrackInventoryOptions } from './inventory/tracker.js';
import {
  DEFAULT_OPERATOR_PREFIX,
  inventoryHandles,
  operatorHandles,
  webhookExtraHandles,
  type InventoryHandles,
  type OperatorHandles,
  type WebhookExtraHandles,
} from './operator-catalog.js';
import { instrumentReconcile, recordReconcile, type InstrumentReconcileOptions, type ReconcileRecord } from './reconcile.js';

export interface OperatorMetricsOptions {
  /** Where the metrics live (default: the global registry). */
  registry?: Registry;
  /** Metric name stem (default 'dynamo_operator'): `<prefix>_reconcile_total` and so on. */
  prefix?: string;
  /**
   * Create the counters and histograms with `enableExemplars: true` (default true): inside
   * a sampled span (`initTracing()`), each sample carries the span's `trace_id`/`span_id`
   * as an OpenMetrics exemplar. The first kit on a registry and prefix decides.
   */
  exemplars?: boolean;
}

/** Inventory options where `statusOf` may be left out for the five Dynamo kinds. */
export type InventoryOptions<T extends KubernetesObject> = InventorySource<T> & Omit<InventorySettings, 'statusOf'> & { statusOf?: StatusExtractor };

export interface OperatorMetrics {
  readonly prefix: string;
  readonly registry: Registry;
  /** The spec'd families as typed handles, for recording what the helpers do not cover. */
  readonly metrics: OperatorHandles;
  /** Wraps a reconcile function; see `instrumentReconcile` in reconcile.ts. */
  instrumentReconcile<A extends unknown[], R>(
    resourceType: string,
    reconcile: (...args: A) => R | Promise<R>,
    options?: InstrumentReconcileOptions<A>,
  ): (...args: A) => Promise<Awaited<R>>;
  /** Records one reconcile measured elsewhere. */
  recordReconcile(record: ReconcileRecord): void;
  /** The error_type an error would be counted as. */
  classifyError(error: unknown): ErrorType;
  /** Keeps `<prefix>_resources_total` current for one kind from an informer. */
  trackInventory<T extends KubernetesObject>(options: InventoryOptions<T>): InventoryTracker<T>;
  /** `<prefix>_inventory_errors_total` and `<prefix>_inventory_synced` (created on first use). */
  inventoryExtras(): InventoryHandles;
  /** `<prefix>_webhook_invalid_requests_total` (created on first use). */
  webhookExtras(): WebhookExtraHandles;
}

export function createOperatorMetrics(options: OperatorMetricsOptions = {}): OperatorMetrics {
  const registry = options.registry ?? globalRegistry();
  const prefix = options.prefix ?? DEFAULT_OPERATOR_PREFIX;
  const instantiate = { enableExemplars: options.exemplars ?? true };
  const metrics = operatorHandles(registry, prefix, instantiate);
  const kit: OperatorMetrics = {
    prefix,
    registry,
    metrics,
    instrumentReconcile: (resourceType, reconcile, reconcileOptions) => instrumentReconcile(metrics, resourceType, reconcile, reconcileOptions),
    recordReconcile: (record) => recordReconcile(metrics, record),
    classifyError,
    trackInventory: <T extends KubernetesObject>(inventoryOptions: InventoryOptions<T>) =>
      new InventoryTracker(metrics, kit.inventoryExtras(), {
        ...inventoryOptions,
        statusOf: inventoryOptions.statusOf ?? dynamoStatusOf(inventoryOptions.kind),
      } as TrackInventoryOptions<T>),
    inventoryExtras: () => inventoryHandles(registry, prefix, instantiate),
    webhookExtras: () => webhookExtraHandles(registry, prefix, instantiate),
  };
  return kit;
}
