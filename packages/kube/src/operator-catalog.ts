/**
 * The operator kit's metric families. The spec'd ones come from the Dynamo operator catalog
 * (the single declaration); another operator gets the same families under its own prefix.
 * The kit adds three families of its own (inventory health and rejected webhook requests),
 * declared here once, created only when the feature that records them is used.
 */
import { dynamoOperatorCatalog } from '@promkit/catalogs';
import type { Handles } from 'promkit/catalog';
import type { Catalog, MetricSpec } from 'promkit/catalog';
import type { Registry } from 'promkit';
import { instantiateOnce, type InstantiateOptions } from './catalog-instances.js';

export const DEFAULT_OPERATOR_PREFIX = 'dynamo_operator';

type DynamoOperatorSpecs = (typeof dynamoOperatorCatalog)['metrics'];

/** The seven spec'd families: reconcile, webhook and inventory. */
export type OperatorSpecs = { readonly [K in keyof DynamoOperatorSpecs]: DynamoOperatorSpecs[K] };

/** Rejection reasons of `<prefix>_webhook_invalid_requests_total`. */
export const WEBHOOK_INVALID_REASONS = [
  'malformed_body',
  'wrong_api_version',
  'wrong_kind',
  'too_large',
  'wrong_method',
  'wrong_content_type',
  'not_found',
] as const;
export type WebhookInvalidReason = (typeof WEBHOOK_INVALID_REASONS)[number];

function inventorySpecs(prefix: string) {
  return {
    inventoryErrors: {
      name: `${prefix}_inventory_errors_total`,
      type: 'counter',
      help: 'Informer list/watch failures of the resource inventory; each is retried with exponential backoff',
      labelNames: ['resource_type'] as const,
    },
    inventorySynced: {
      name: `${prefix}_inventory_synced`,
      type: 'gauge',
      help: 'Whether the resource inventory informer is listed and watching (1) or restarting after an error (0)',
      labelNames: ['resource_type'] as const,
    },
  } satisfies Record<string, MetricSpec>;
}

function webhookSpecs(prefix: string) {
  return {
    webhookInvalidRequests: {
      name: `${prefix}_webhook_invalid_requests_total`,
      type: 'counter',
      help: 'Admission requests answered 400 before reaching a validator, by reason',
      labelNames: ['reason'] as const,
      labelValues: { reason: WEBHOOK_INVALID_REASONS },
    },
  } satisfies Record<string, MetricSpec>;
}

export type InventorySpecs = ReturnType<typeof inventorySpecs>;
export type WebhookExtraSpecs = ReturnType<typeof webhookSpecs>;

function assertPrefix(prefix: string): void {
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix) || prefix.endsWith('_')) {
    throw new TypeError(`operator metrics prefix '${prefix}' is invalid: use a metric name stem such as 'my_operator' (letters, digits, '_', no trailing '_')`);
  }
}

/** The spec'd families renamed from `dynamo_operator_*` to `<prefix>_*`; labels and buckets unchanged. */
export function operatorSpecs(prefix: string = DEFAULT_OPERATOR_PREFIX): OperatorSpecs {
  assertPrefix(prefix);
  if (prefix === DEFAULT_OPERATOR_PREFIX) return dynamoOperatorCatalog.metrics;
  const out: Record<string, MetricSpec> = {};
  for (const [key, spec] of Object.entries(dynamoOperatorCatalog.metrics) as Array<[string, MetricSpec]>) {
    // resource_type/status values are the Dynamo CRDs'; another operator has its own.
    const { labelValues: _dynamoValues, ...rest } = spec;
    out[key] = { ...rest, name: prefix + spec.name.slice(DEFAULT_OPERATOR_PREFIX.length) };
  }
  return out as unknown as OperatorSpecs;
}

/** Every family the kit can create under `prefix`, for docs and generated artifacts. */
export function operatorKitSpecs(prefix: string = DEFAULT_OPERATOR_PREFIX): OperatorSpecs & InventorySpecs & WebhookExtraSpecs {
  return { ...operatorSpecs(prefix), ...inventorySpecs(prefix), ...webhookSpecs(prefix) };
}

function asCatalog<M extends Record<string, MetricSpec>>(prefix: string, metrics: M): Catalog<M> {
  return { ...dynamoOperatorCatalog, id: prefix, metrics, queries: [] };
}

export type OperatorHandles = Handles<OperatorSpecs>;
export type InventoryHandles = Handles<InventorySpecs>;
export type WebhookExtraHandles = Handles<WebhookExtraSpecs>;

export function operatorHandles(registry: Registry, prefix: string, options: InstantiateOptions = {}): OperatorHandles {
  return instantiateOnce(registry, `operator:${prefix}/core`, () => asCatalog(prefix, operatorSpecs(prefix)), options);
}

export function inventoryHandles(registry: Registry, prefix: string, options: InstantiateOptions = {}): InventoryHandles {
  return instantiateOnce(registry, `operator:${prefix}/inventory`, () => asCatalog(prefix, inventorySpecs(prefix)), options);
}

export function webhookExtraHandles(registry: Registry, prefix: string, options: InstantiateOptions = {}): WebhookExtraHandles {
  return instantiateOnce(registry, `operator:${prefix}/webhook`, () => asCatalog(prefix, webhookSpecs(prefix)), options);
}
