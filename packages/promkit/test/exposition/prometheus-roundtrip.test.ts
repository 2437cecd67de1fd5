/**
 * Proof against a real Prometheus (Debian 2.42, /usr/bin/prometheus): it scrapes a
 * node:http server serving promkit registries, once as text 0.0.4 and once as
 * OpenMetrics, and everything it ingested is read back through its HTTP API and
 * compared with what was served. One Prometheus for the whole file: its first scrape
 * comes ~5 s after start.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createGzip } from 'node:zlib';
import fc from 'fast-check';
import { Counter, Registry, acceptsGzip, negotiate } from '../../src/index.js';
import { parseExposition, parsePrometheusText, seriesKey, type ParsedExposition } from '../../src/exposition/parser.js';
import { EXPOSITION_FORMAT_PARAM, checkMetrics, startPrometheus, waitUntil, type InstantSample, type RunningPrometheus } from '@promkit/testing';
import { TRICKY_HELP, TRICKY_VALUES, representativeRegistry } from './representative-registry.js';

const JOBS = { text: 'promkit-text', openmetrics: 'promkit-openmetrics', propertyText: 'property-text', propertyOpenMetrics: 'property-openmetrics' } as const;

/** Series Prometheus adds itself for every target. */
const SYNTHETIC = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added']);

const representative = representativeRegistry();
/** The registry behind /property; replaced by each property run. */
let propertyRegistry = new Registry();

interface ScrapeRecord {
  path: string;
  accept: string | undefined;
  format: string;
  gzip: boolean;
}
const scrapes: ScrapeRecord[] = [];

let server: Server;
let prom: RunningPrometheus;

/** Serves a registry the way promkit's server does: negotiate, optional gzip, streamed chunks. */
async function serve(
  registry: Registry,
  forced: string | null,
  accept: string | undefined,
  acceptEncoding: string | undefined,
  res: import('node:http').ServerResponse,
): Promise<ScrapeRecord> {
  // The harness forces a format with ?format=; otherwise promkit negotiates on Accept.
  const { format, contentType } = forced === null ? negotiate(accept) : negotiate(forced === 'openmetrics' ? 'application/openmetrics-text' : 'text/plain');
  const gzip = acceptsGzip(acceptEncoding);
  res.writeHead(200, { 'content-type': contentType, ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
  const out = gzip ? createGzip() : res;
  if (gzip) (out as ReturnType<typeof createGzip>).pipe(res);
  await registry.writeMetrics(
    async (chunk) => {
      if (!out.write(chunk)) await once(out, 'drain');
    },
    { format },
  );
  out.end();
  return { path: '', accept, format, gzip };
}

before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const registry = url.pathname === '/metrics' ? representative : url.pathname === '/property' ? propertyRegistry : undefined;
    if (registry === undefined) {
      res.writeHead(404).end();
      return;
    }
    serve(registry, url.searchParams.get(EXPOSITION_FORMAT_PARAM), req.headers.accept, req.headers['accept-encoding'] as string | undefined, res).then(
      (record) => scrapes.push({ ...record, path: url.pathname }),
      (error: unknown) => res.destroy(error as Error),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  prom = await startPrometheus({
    features: ['exemplar-storage'],
    targets: [
      { job: JOBS.text, url: `${base}/metrics`, openMetrics: false },
      { job: JOBS.openmetrics, url: `${base}/metrics`, openMetrics: true },
      { job: JOBS.propertyText, url: `${base}/property`, openMetrics: false },
      { job: JOBS.propertyOpenMetrics, url: `${base}/property`, openMetrics: true },
    ],
  });
  await prom.waitForTargetsUp({ timeoutMs: 30_000 });
  await prom.waitForScrapes(2, { timeoutMs: 30_000 });
});

after(async () => {
  await prom?.close();
  server?.close();
});

/** What Prometheus stores: empty label values are dropped, job and instance added. */
function expectedSeries(parsed: ParsedExposition): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of parsed.families.flatMap((f) => f.samples)) {
    const labels = Object.fromEntries(Object.entries(s.labels).filter(([, v]) => v !== ''));
    out.set(seriesKey(s.name, labels), s.value);
  }
  return out;
}

/** What Prometheus has for a job, without the series it adds itself. */
async function ingestedSeries(job: string): Promise<Map<string, number>> {
  const samples: InstantSample[] = await prom.queryVector(`{job=${JSON.stringify(job)}}`);
  const out = new Map<string, number>();
  for (const s of samples) {
    const { __name__: name, job: _job, instance: _instance, ...labels } = s.metric;
    if (SYNTHETIC.has(name)) continue;
    out.set(seriesKey(name, labels), s.value);
  }
  return out;
}

function assertSameSeries(actual: Map<string, number>, expected: Map<string, number>, what: string): void {
  const missing = [...expected.keys()].filter((k) => !actual.has(k));
  const extra = [...actual.keys()].filter((k) => !expected.has(k));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${what}: series differ`);
  for (const [key, value] of expected) {
    const got = actual.get(key);
    assert.ok(Object.is(got, value) || got === value, `${what}: ${key} is ${got} in Prometheus, ${value} served`);
  }
}

describe('real Prometheus 2.42 scrapes promkit', () => {
  for (const [format, job] of [
    ['prometheus', JOBS.text],
    ['openmetrics', JOBS.openmetrics],
  ] as const) {
    test(`${format}: target up, no scrape errors, every series ingested with its value`, async () => {
      assert.equal(await prom.queryValue(`up{job="${job}"}`), 1);
      const targets = (await prom.targets('active')).activeTargets.filter((t) => t.scrapePool === job);
      assert.equal(targets.length, 1);
      assert.equal(targets[0].health, 'up');
      assert.equal(targets[0].lastError, '');

      const served = parseExposition(await representative.metrics({ format }), format);
      const expected = expectedSeries(served);
      assert.ok(expected.size >= 60, `the representative registry exposes ${expected.size} samples`);
      assert.equal(await prom.queryValue(`scrape_samples_scraped{job="${job}"}`), expected.size, 'every sample was read');
      assertSameSeries(await ingestedSeries(job), expected, format);
    });
  }

  test('the server saw both formats, negotiated on Prometheus’ real Accept header, and gzip', () => {
    const byPath = scrapes.filter((s) => s.path === '/metrics');
    assert.ok(byPath.some((s) => s.format === 'prometheus'));
    assert.ok(byPath.some((s) => s.format === 'openmetrics'));
    assert.ok(
      byPath.every((s) => s.gzip),
      'Prometheus sends Accept-Encoding: gzip; promkit used it',
    );
    const accept = byPath[0].accept;
    assert.equal(
      accept,
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
    );
    assert.equal(negotiate(accept).format, 'openmetrics');
  });

  test('Prometheus’ own counters report no rejected samples', async () => {
    const own = parsePrometheusText(await (await fetch(`${prom.url}/metrics`)).text());
    const value = (name: string) => own.families.flatMap((f) => f.samples).find((s) => s.name === name)?.value;
    for (const name of [
      'prometheus_target_scrapes_sample_out_of_order_total',
      'prometheus_target_scrapes_sample_duplicate_timestamp_total',
      'prometheus_target_scrapes_sample_out_of_bounds_total',
      'prometheus_target_scrapes_exceeded_sample_limit_total',
      'prometheus_target_scrapes_exemplar_out_of_order_total',
    ]) {
      assert.equal(value(name), 0, name);
    }
  });

  test('HELP text (quotes, backslash, newline) arrives unchanged in the metadata API', async () => {
    const metadata = await prom.metadata('app_tricky_labels');
    const helps = new Set((metadata.app_tricky_labels ?? []).map((m) => m.help));
    assert.deepEqual([...helps], [TRICKY_HELP]);
  });

  test('label values needing escapes arrive unchanged in both formats', async () => {
    for (const job of [JOBS.text, JOBS.openmetrics]) {
      const samples = await prom.queryVector(`app_tricky_labels{job="${job}"}`);
      const got = new Map(samples.map((s) => [s.metric.value, s.value]));
      assert.deepEqual(got, new Map(TRICKY_VALUES), job);
    }
  });

  test('OpenMetrics exemplars on a counter and on a bucket reach exemplar storage', async () => {
    const end = new Date();
    const start = new Date(end.getTime() - 10 * 60_000);
    const counter = await prom.exemplars(`app_requests_total{job="${JOBS.openmetrics}"}`, start, end);
    const counterTrace = counter.flatMap((s) => s.exemplars).map((e) => e.labels.trace_id);
    assert.ok(counterTrace.includes('4bf92f3577b34da6a3ce929d0e0e4736'), JSON.stringify(counter));
    const buckets = await prom.exemplars(`app_request_duration_seconds_bucket{job="${JOBS.openmetrics}"}`, start, end);
    const bucket = buckets.find((s) => s.exemplars.some((e) => e.labels.trace_id === 'abc123'));
    assert.equal(bucket?.seriesLabels.le, '0.5');
    // Text 0.0.4 has no exemplars.
    const none = await prom.exemplars(`app_requests_total{job="${JOBS.text}"}`, start, end);
    assert.deepEqual(
      none.flatMap((s) => s.exemplars),
      [],
    );
  });

  test('promtool check metrics is clean on the representative text exposition', async () => {
    const result = await checkMetrics(await representative.metrics({ format: 'prometheus' }));
    assert.deepEqual(result.problems, []);
    assert.equal(result.ok, true, result.output);
  });

  test('property: arbitrary label values survive the round trip through Prometheus unchanged', async () => {
    /** Characters that stress escaping and encoding, mixed with any code point. */
    const nasty = fc.constantFrom('"', '\\', '\n', 'n', '\\n', '\r', '\t', '{', '}', ',', '=', ' ', 'é', '😀', '𝄞', '\u2028', '\uFEFF', '\u{10FFFF}');
    const labelValue = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.string({ unit: nasty, maxLength: 20 }),
      fc.string({ unit: fc.oneof(nasty, fc.constantFrom('a', 'b')), maxLength: 40 }),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(labelValue, { minLength: 100, maxLength: 200 }), async (values) => {
        run++;
        const registry = new Registry();
        const c = new Counter({ name: 'roundtrip_total', help: 'Property test.', labelNames: ['run', 'i', 'v'], registers: [registry] });
        values.forEach((v, i) => {
          c.inc({ run, i, v }, i + 1);
        });
        propertyRegistry = registry;
        for (const job of [JOBS.propertyText, JOBS.propertyOpenMetrics]) {
          const samples = await waitUntil(
            async () => {
              const found = await prom.queryVector(`roundtrip_total{job="${job}",run="${run}"}`);
              return found.length === values.length ? found : undefined;
            },
            { timeoutMs: 20_000, intervalMs: 200, description: `${values.length} series of run ${run} in job ${job}` },
          );
          for (const s of samples) {
            const i = Number(s.metric.i);
            assert.equal(s.value, i + 1);
            // Prometheus drops labels with an empty value.
            assert.equal(s.metric.v ?? '', values[i], `${job}: value #${i} came back as ${JSON.stringify(s.metric.v)}, sent ${JSON.stringify(values[i])}`);
          }
        }
      }),
      // Each run waits for real scrapes; a failure is reported as is (shrinking would wait for scrapes too).
      { numRuns: 3, endOnFailure: true },
    );
  });
});
