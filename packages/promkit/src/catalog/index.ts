/**
 * promkit/catalog: declare metric families once, as typed data, and instantiate them.
 * The same declaration drives dashboards, rules and docs (`@promkit/monitoring`).
 */
export * from './types.js';
export { instantiateCatalog, type HandleFor, type Handles } from './instantiate.js';
export * from './define.js';
