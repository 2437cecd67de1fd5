/** `promkit generate` run in this directory reads this file: the shop catalog, for a kube-prometheus-stack release `kps`. */
import { defineConfig } from '@promkit/monitoring';
import { shopCatalog } from './catalog.js';

export default defineConfig({
  catalogs: [shopCatalog],
  outDir: 'deploy',
  release: 'kps',
  runbookBase: 'https://git.example.com/shop/ops/blob/main/deploy/reference/runbooks.md',
});
