import type { Catalog } from 'promkit/catalog';
import { httpServerCatalog } from './http-server.js';
import { nodeProcessCatalog } from './node-process.js';
import { operatorKitCatalog } from './operator-kit.js';

export { httpServerCatalog, nodeProcessCatalog, operatorKitCatalog };

/** promkit's self-monitoring: what every promkit process, server and operator emits beside its own families. */
export const selfCatalogs: readonly Catalog[] = [nodeProcessCatalog, httpServerCatalog, operatorKitCatalog];
