/**
 * A failing scrape-time collect callback never takes the scrape (or the process) down:
 * the metric is left out, the failure is counted in promkit_collect_errors_total and
 * reported to the handler.
 */
import { captureEngineLogs } from './engine-logs.js';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { COLLECT_ERRORS_METRIC, Counter, Gauge, Histogram, Registry } from '../../src/index.js';
import { familyOf, scrape, sampleValue } from '../exposition/helpers.js';

interface Reported {
  error: unknown;
  metric: string;
}

function setup(): { registry: Registry; reported: Reported[] } {
  const registry = new Registry();
  const reported: Reported[] = [];
  registry.setCollectErrorHandler((error, metric) => reported.push({ error, metric }));
  registry.collectTimeoutMs = 50;
  const healthy = new Gauge({
    name: 'healthy',
    help: 'Set by its collect callback.',
    registers: [registry],
    collect() {
      this.set(42);
    },
  });
  new Counter({ name: 'plain_total', help: 'No callback.', registers: [registry] }).inc(3);
  const h = new Histogram({ name: 'h', help: 'H.', buckets: [1], registers: [registry] });
  h.observe(0.5);
  assert.ok(healthy);
  return { registry, reported };
}

/** Keeps the event loop alive while `promise` runs. */
async function withEventLoopHeld<T>(promise: Promise<T>): Promise<T> {
  const hold = setInterval(() => {}, 1000);
  try {
    return await promise;
  } finally {
    clearInterval(hold);
  }
}

const failures = {
  throws: () => {
    throw new Error('boom: sync');
  },
  rejects: async () => {
    await Promise.resolve();
    throw new Error('boom: async');
  },
  'never resolves': () => new Promise<void>(() => {}),
};

describe('failing collect callbacks', () => {
  for (const [kind, collect] of Object.entries(failures)) {
    test(`a collect that ${kind} leaves the other metrics served, is counted and reported`, async () => {
      const { registry, reported } = setup();
      new Gauge({ name: 'broken', help: 'Broken.', registers: [registry], collect });

      for (const format of ['prometheus', 'openmetrics'] as const) {
        const parsed = await withEventLoopHeld(scrape(registry, format));
        assert.equal(sampleValue(parsed, 'healthy'), 42, `${format}: the other metrics are served`);
        assert.equal(sampleValue(parsed, format === 'openmetrics' ? 'plain_total' : 'plain_total'), 3);
        assert.equal(sampleValue(parsed, 'h_count'), 1);
        assert.equal(
          parsed.families.find((f) => f.name === 'broken'),
          undefined,
          `${format}: the broken metric is left out`,
        );
      }
      const text = await withEventLoopHeld(scrape(registry, 'prometheus'));
      assert.equal(sampleValue(text, COLLECT_ERRORS_METRIC, { metric: 'broken' }), 3, 'one failure per scrape');
      assert.equal(familyOf(text, COLLECT_ERRORS_METRIC).type, 'counter');
      const om = await withEventLoopHeld(scrape(registry, 'openmetrics'));
      assert.equal(familyOf(om, 'promkit_collect_errors').type, 'counter');
      assert.equal(sampleValue(om, 'promkit_collect_errors_total', { metric: 'broken' }), 4);

      assert.equal(reported.length, 4);
      for (const r of reported) {
        assert.equal(r.metric, 'broken');
        assert.ok(r.error instanceof Error);
      }
      const message = (reported[0].error as Error).message;
      if (kind === 'never resolves') assert.match(message, /collect\(\) did not finish within 50 ms/);
      else assert.match(message, /boom/);
      assert.equal(registry.collectErrors().get('broken'), 4);
    });
  }

  test('no promkit_collect_errors_total family until something fails', async () => {
    const { registry } = setup();
    const parsed = await scrape(registry);
    assert.equal(
      parsed.families.find((f) => f.name === COLLECT_ERRORS_METRIC),
      undefined,
    );
  });

  test('failures are counted per metric', async () => {
    const { registry } = setup();
    new Gauge({ name: 'a', help: 'A.', registers: [registry], collect: failures.throws });
    new Gauge({ name: 'b', help: 'B.', registers: [registry], collect: failures.rejects });
    await scrape(registry);
    const parsed = await scrape(registry);
    assert.equal(sampleValue(parsed, COLLECT_ERRORS_METRIC, { metric: 'a' }), 2);
    assert.equal(sampleValue(parsed, COLLECT_ERRORS_METRIC, { metric: 'b' }), 2);
  });

  test('a collect that recovers is served again', async () => {
    const { registry } = setup();
    let fail = true;
    new Gauge({
      name: 'flaky',
      help: 'Flaky.',
      registers: [registry],
      collect() {
        if (fail) throw new Error('not yet');
        this.set(7);
      },
    });
    assert.equal(sampleValue(await scrape(registry), 'flaky'), undefined);
    fail = false;
    const parsed = await scrape(registry);
    assert.equal(sampleValue(parsed, 'flaky'), 7);
    assert.equal(sampleValue(parsed, COLLECT_ERRORS_METRIC, { metric: 'flaky' }), 1);
  });

  test('a throwing error handler does not break the scrape', async () => {
    const { registry } = setup();
    registry.setCollectErrorHandler(() => {
      throw new Error('handler broken too');
    });
    new Gauge({ name: 'broken', help: 'Broken.', registers: [registry], collect: failures.throws });
    const parsed = await scrape(registry);
    assert.equal(sampleValue(parsed, 'healthy'), 42);
    assert.equal(sampleValue(parsed, COLLECT_ERRORS_METRIC, { metric: 'broken' }), 1);
  });

  test('the default handler logs one error naming the metric under promkit::core', async () => {
    const registry = new Registry();
    new Gauge({ name: 'broken', help: 'Broken.', registers: [registry], collect: failures.throws });
    const { lines } = await captureEngineLogs(() => registry.metrics());
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.level, 'error');
    assert.equal(lines[0]!.target, 'promkit::core');
    assert.match(lines[0]!.message, /collect\(\) of metric 'broken' failed; the metric is left out of this scrape: Error: boom: sync/);
  });

  test('a collect that rejects after its timeout causes no unhandled rejection', async () => {
    const { registry, reported } = setup();
    let rejectLate: (e: Error) => void = () => {};
    const late = new Promise<void>((_, reject) => {
      rejectLate = reject;
    });
    new Gauge({ name: 'late', help: 'Late.', registers: [registry], collect: () => late });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const parsed = await withEventLoopHeld(scrape(registry));
      assert.equal(sampleValue(parsed, 'healthy'), 42);
      rejectLate(new Error('too late'));
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setTimeout(r, 10));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    assert.deepEqual(unhandled, []);
    assert.equal(reported.length, 1);
  });

  test('default labels apply to promkit_collect_errors_total too', async () => {
    const { registry } = setup();
    registry.setDefaultLabels({ service: 'api' });
    new Gauge({ name: 'broken', help: 'Broken.', registers: [registry], collect: failures.throws });
    const parsed = await scrape(registry);
    assert.equal(sampleValue(parsed, COLLECT_ERRORS_METRIC, { metric: 'broken', service: 'api' }), 1);
  });

  test('a never-resolving collect times out even when nothing else keeps the process alive', () => {
    const registryModule = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
    const script = [
      `import { Registry, Gauge } from ${JSON.stringify(registryModule)};`,
      'const r = new Registry();',
      'r.collectTimeoutMs = 50;',
      'r.setCollectErrorHandler(() => {});',
      "new Gauge({ name: 'hang', help: 'h', registers: [r], collect: () => new Promise(() => {}) });",
      "new Gauge({ name: 'ok', help: 'h', registers: [r] }).set(1);",
      'process.stdout.write(await r.metrics());',
    ].join('\n');
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(result.status, 0, `exit ${result.status}; stderr: ${result.stderr}`);
    assert.match(result.stdout, /^ok 1$/m);
    assert.match(result.stdout, /promkit_collect_errors_total\{metric="hang"\} 1/);
  });
});
