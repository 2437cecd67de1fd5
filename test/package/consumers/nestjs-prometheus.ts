/**
 * @willsoto/nestjs-prometheus on promkit: its declarations compile against promkit's with
 * `skipLibCheck: false` (any error in any .d.ts fails, not only promkit's; the same
 * compilation checks express-prom-bundle's and fastify-metrics' declarations), and a Nest
 * app serves /metrics with the injected counter and histogram counting what it did.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { familyOf, sampleValue } from '../../../packages/promkit/test/exposition/helpers.js';
import { typecheck } from '../tarballs.js';
import { startApp } from './app-process.js';
import { consumerProject } from './consumer-project.js';
import { request, scrape } from './scrape.js';

const NEST_COMPILER_OPTIONS = {
  module: 'CommonJS',
  moduleResolution: 'Node10',
  esModuleInterop: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  noEmit: false,
  outDir: 'out',
};

export function nestjsPrometheusSuite(): void {
  describe('@willsoto/nestjs-prometheus (prom-client = promkit)', () => {
    test('type-checks with skipLibCheck false, then serves /metrics with the injected metrics', async (t) => {
      const dir = await consumerProject();
      await typecheck(dir, NEST_COMPILER_OPTIONS, ['nest-app.ts', 'consumer-types.ts'], /: error TS\d+/);
      const app = await startApp<{ port: number }>(dir, 'out/nest-app.js');
      t.after(() => app.stop());
      const base = `http://127.0.0.1:${app.info.port}`;
      for (const [kind, euros] of [
        ['book', 12],
        ['book', 30],
        ['lamp', 150],
      ] as const) {
        assert.equal(await request(`${base}/orders/${kind}/${euros}`), 200);
      }

      const { parsed } = await scrape(`${base}/metrics`);
      assert.equal(familyOf(parsed, 'orders_placed_total').type, 'counter');
      assert.equal(sampleValue(parsed, 'orders_placed_total', { kind: 'book', app: 'nest-shop' }), 2);
      assert.equal(sampleValue(parsed, 'orders_placed_total', { kind: 'lamp', app: 'nest-shop' }), 1);
      assert.equal(sampleValue(parsed, 'order_value_euros_bucket', { le: '10', app: 'nest-shop' }), 0);
      assert.equal(sampleValue(parsed, 'order_value_euros_bucket', { le: '100', app: 'nest-shop' }), 2);
      assert.equal(sampleValue(parsed, 'order_value_euros_count', { app: 'nest-shop' }), 3);
      assert.equal(sampleValue(parsed, 'order_value_euros_sum', { app: 'nest-shop' }), 192);
      // PrometheusModule collects the default metrics into the same registry, with its default labels.
      assert.ok(familyOf(parsed, 'process_cpu_user_seconds_total').samples.every((s) => s.labels.app === 'nest-shop'));
    });
  });
}
