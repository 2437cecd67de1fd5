/**
 * The package's root entry: the named API of index.ts, and the same API as the default
 * export, as `import client from 'prom-client'` users write it. (Kept apart from index.ts
 * because a module cannot take its own namespace as its default export in declarations.)
 */
import * as api from './index.js';

export * from './index.js';
export default api;
