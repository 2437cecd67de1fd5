export * from './dynamo-operator.js';
export * from './dynamo-runtime.js';
export * from './datamover.js';
export * from './modal.js';
export * from './sample-data.js';

import { datamoverCatalog } from './datamover.js';
import { dynamoOperatorCatalog } from './dynamo-operator.js';
import { dynamoRuntimeCatalog } from './dynamo-runtime.js';
import { modalCatalog } from './modal.js';
import type { Catalog } from 'promkit/catalog';

/** Every shipped catalog, in a stable order (generators iterate it). */
export const allCatalogs: readonly Catalog[] = [dynamoOperatorCatalog, dynamoRuntimeCatalog, datamoverCatalog, modalCatalog];
export * from './self/index.js';
