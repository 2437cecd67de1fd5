// piscina loads this plain-JS file in each pool thread (Node 20 workers do not inherit
// `--import tsx`); it registers tsx and re-exports the TypeScript task.
import { register } from 'tsx/esm/api';

register();
const task = await import('./piscina-task.ts');
export default task.default;
