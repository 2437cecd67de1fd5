import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Counter } from '../../src/core/index.js';
import { DistributedRuntime } from '../../src/runtime/index.js';
import { quietLogger } from '../server/http-client.js';

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));

describe('hierarchy and naming', () => {
  test("the spec's example line, with prefix and auto labels in order", async () => {
    const runtime = new DistributedRuntime();
    const counter = runtime.namespace('dynamo').component('backend').endpoint('generate').createCounter('my_counter', 'My custom counter');
    for (let i = 0; i < 42; i++) counter.inc();
    const text = await runtime.prometheusMetricsFmt();
    assert.match(text, /^# HELP dynamo_my_counter My custom counter\n# TYPE dynamo_my_counter counter\n/m);
    assert.ok(text.includes('dynamo_my_counter{namespace="dynamo",component="backend",endpoint="generate"} 42\n'));
  });

  test('each level adds its auto labels; the runtime level adds none', async () => {
    const runtime = new DistributedRuntime();
    const ns = runtime.namespace('ns');
    const comp = ns.component('comp');
    runtime.createGauge('rt', 'runtime level').set(1);
    ns.createGauge('n', 'namespace level').set(2);
    comp.createGauge('c', 'component level').set(3);
    comp.endpoint('ep').createGauge('e', 'endpoint level').set(4);
    assert.deepEqual(lines(await runtime.prometheusMetricsFmt()), [
      'dynamo_rt 1',
      'dynamo_n{namespace="ns"} 2',
      'dynamo_c{namespace="ns",component="comp"} 3',
      'dynamo_e{namespace="ns",component="comp",endpoint="ep"} 4',
    ]);
  });

  test('scopes are cached: the same name gives the same object', () => {
    const runtime = new DistributedRuntime();
    assert.equal(runtime.namespace('a').component('b').endpoint('c'), runtime.namespace('a').component('b').endpoint('c'));
    assert.equal(runtime.namespace('a').component('b').endpoint('c').path, 'a/b/c');
    assert.deepEqual(runtime.namespace('a').component('b').autoLabels, { namespace: 'a', component: 'b' });
  });

  test('prefix is configurable, including none', async () => {
    const custom = new DistributedRuntime({ prefix: 'myapp' });
    custom.createCounter('hits', 'h').inc();
    assert.deepEqual(lines(await custom.prometheusMetricsFmt()), ['myapp_hits 1']);
    const none = new DistributedRuntime({ prefix: '' });
    none.createCounter('hits', 'h').inc();
    assert.deepEqual(lines(await none.prometheusMetricsFmt()), ['hits 1']);
    assert.throws(() => new DistributedRuntime({ prefix: 'my-app' }), /prefix must be '' or a metric name prefix.*"my-app"/);
  });

  test("auto label names: 'prefixed' and explicit names", async () => {
    const prefixed = new DistributedRuntime({ autoLabelNames: 'prefixed' });
    prefixed.namespace('n').component('c').endpoint('e').createCounter('x', 'x', { namespace: 'k8s-ns' }).inc();
    assert.deepEqual(lines(await prefixed.prometheusMetricsFmt()), [
      'dynamo_x{dynamo_namespace="n",dynamo_component="c",dynamo_endpoint="e",namespace="k8s-ns"} 1',
    ]);
    const named = new DistributedRuntime({ autoLabelNames: { namespace: 'dyn_ns' } });
    named.namespace('n').component('c').createCounter('y', 'y').inc();
    assert.deepEqual(lines(await named.prometheusMetricsFmt()), ['dynamo_y{dyn_ns="n",component="c"} 1']);
    assert.throws(() => new DistributedRuntime({ autoLabelNames: { namespace: 'component' } }), /auto label names must be distinct/);
    assert.throws(() => new DistributedRuntime({ autoLabelNames: { endpoint: '__ep' } }), /auto label name for the endpoint level must match/);
    assert.throws(() => new DistributedRuntime({ prefix: '', autoLabelNames: 'prefixed' }), /'prefixed' needs a non-empty prefix/);
  });

  test('bad names are clear errors', () => {
    const runtime = new DistributedRuntime();
    assert.throws(() => runtime.namespace(''), /namespace name must be a non-empty string/);
    assert.throws(() => runtime.namespace('a').component(42 as unknown as string), /component name must be a non-empty string, got number/);
    assert.throws(() => runtime.createCounter('bad-name', 'x'), /invalid metric name 'bad-name'/);
    assert.throws(() => runtime.createCounterVec('v', 'x', ['ok', 'bad-label']), /invalid variable label name 'bad-label'/);
    assert.throws(() => runtime.createCounterVec('w', 'x', ['a', 'a']), /label 'a' is declared twice/);
    assert.throws(() => runtime.createCounter('z', 'x', { a: null as unknown as string }), /value of label 'a' must be a string or a number/);
  });
});

describe('factories', () => {
  test('vec children by arguments or by one array; const labels as a record or pairs', async () => {
    const runtime = new DistributedRuntime();
    const ep = runtime.namespace('n').component('c').endpoint('e');
    const vec = ep.createCounterVec('requests_by_model', 'Requests by model type', ['model_type', 'model_size'], [['region', 'eu']]);
    vec.withLabelValues('llama', '7b').inc();
    vec.withLabelValues(['gpt', '13b']).inc(2);
    assert.equal(vec.withLabelValues('llama', '7b'), vec.withLabelValues(['llama', '7b']), 'children are cached');
    assert.throws(
      // @ts-expect-error label names written inline make the arity a compile-time check
      () => vec.withLabelValues('llama'),
      /metric 'dynamo_requests_by_model' has 2 variable label\(s\) \[model_type, model_size\] but got 1 value\(s\)/,
    );
    assert.deepEqual(lines(await ep.prometheusMetricsFmt()), [
      'dynamo_requests_by_model{namespace="n",component="c",endpoint="e",region="eu",model_type="llama",model_size="7b"} 1',
      'dynamo_requests_by_model{namespace="n",component="c",endpoint="e",region="eu",model_type="gpt",model_size="13b"} 2',
    ]);
  });

  test('gauges, histograms with spec buckets, and vec removal scoped to the calling scope', async () => {
    const runtime = new DistributedRuntime();
    const comp = runtime.namespace('n').component('c');
    const gpu = comp.createGaugeVec('gpu_memory_bytes', 'GPU memory usage by device', ['gpu_id', 'memory_type']);
    gpu.withLabelValues('0', 'allocated').set(8192);
    gpu.withLabelValues('0', 'cached').set(4096);
    gpu.removeLabelValues('0', 'cached');
    const latency = comp.endpoint('generate').createHistogram('generate_latency_seconds', 'Generate endpoint latency', {}, [0.001, 0.01, 0.1, 1.0, 10.0]);
    latency.observe(0.023);
    latency.observe(0.156);
    const text = await comp.prometheusMetricsFmt();
    assert.ok(text.includes('dynamo_gpu_memory_bytes{namespace="n",component="c",gpu_id="0",memory_type="allocated"} 8192\n'));
    assert.ok(!text.includes('memory_type="cached"'));
    assert.ok(text.includes('dynamo_generate_latency_seconds_bucket{le="0.1",namespace="n",component="c",endpoint="generate"} 1\n'));
    assert.ok(text.includes('dynamo_generate_latency_seconds_bucket{le="1",namespace="n",component="c",endpoint="generate"} 2\n'));
    assert.ok(text.includes('dynamo_generate_latency_seconds_count{namespace="n",component="c",endpoint="generate"} 2\n'));

    const other = runtime.namespace('n').component('d').createHistogramVec('h', 'h', ['k'], {}, [1, 2]);
    const mine = runtime.namespace('n').component('c').createHistogramVec('h', 'h', ['k'], {}, [1, 2]);
    other.withLabelValues('x').observe(1);
    mine.withLabelValues('x').observe(1);
    mine.reset();
    const all = await runtime.prometheusMetricsFmt();
    assert.ok(all.includes('dynamo_h_count{namespace="n",component="d",k="x"} 1\n'));
    assert.ok(!all.includes('component="c",k="x"'));
  });
});

describe('one family per name', () => {
  test('the same name on two endpoints is two series of one family', async () => {
    const runtime = new DistributedRuntime();
    const comp = runtime.namespace('dynamo').component('backend');
    comp.endpoint('generate').createCounter('total_requests', 'Total requests').inc(5);
    comp.endpoint('embed').createCounter('total_requests', 'Total requests').inc(7);
    const text = await runtime.prometheusMetricsFmt();
    assert.equal(text.match(/# TYPE dynamo_total_requests counter/g)?.length, 1);
    assert.deepEqual(lines(text), [
      'dynamo_total_requests{namespace="dynamo",component="backend",endpoint="generate"} 5',
      'dynamo_total_requests{namespace="dynamo",component="backend",endpoint="embed"} 7',
    ]);
  });

  test('the same name and scope twice gives the same series', async () => {
    const runtime = new DistributedRuntime();
    const ep = runtime.namespace('a').component('b').endpoint('c');
    assert.equal(ep.createCounter('x', 'x', { k: 'v' }), ep.createCounter('x', 'x', [['k', 'v']]));
  });

  test('const label values may differ between scopes; names may come in any order', async () => {
    const runtime = new DistributedRuntime();
    runtime.namespace('a').createGauge('g', 'g', { model: 'm1', size: '7b' }).set(1);
    runtime.namespace('b').createGauge('g', 'g', { size: '13b', model: 'm2' }).set(2);
    assert.deepEqual(lines(await runtime.prometheusMetricsFmt()), [
      'dynamo_g{namespace="a",model="m1",size="7b"} 1',
      'dynamo_g{namespace="b",model="m2",size="13b"} 2',
    ]);
  });

  test('another type, help, label set or buckets is a clear error naming both call sites', () => {
    const runtime = new DistributedRuntime();
    const ep = runtime.namespace('dynamo').component('backend').endpoint('generate');
    ep.createCounter('x', 'help x');
    ep.createHistogram('h', 'help h', {}, [1, 2]);
    assert.throws(
      () => ep.createGauge('x', 'help x'),
      /metric 'dynamo_x' already exists \(created at endpoint 'dynamo\/backend\/generate'\) with a different shape than asked at endpoint 'dynamo\/backend\/generate': type counter vs gauge/,
    );
    assert.throws(() => ep.createCounter('x', 'other help'), /help "help x" vs "other help"/);
    assert.throws(
      () => runtime.namespace('dynamo').component('backend').createCounter('x', 'help x'),
      /labels \[namespace, component, endpoint\] vs \[namespace, component\]/,
    );
    assert.throws(
      () => ep.createCounter('x', 'help x', { extra: '1' }),
      /labels \[namespace, component, endpoint\] vs \[namespace, component, endpoint, extra\]/,
    );
    assert.throws(() => ep.createCounterVec('x', 'help x', ['code']), /vs \[namespace, component, endpoint, code\]/);
    assert.throws(() => ep.createHistogram('h', 'help h', {}, [1, 5]), /buckets \[1, 2\] vs \[1, 5\]/);
  });

  test('a user label colliding with an auto label is a clear error', () => {
    const runtime = new DistributedRuntime();
    const ep = runtime.namespace('a').component('b').endpoint('c');
    assert.throws(
      () => ep.createCounterVec('v', 'v', ['endpoint']),
      /variable label 'endpoint' collides with the auto label the runtime adds for the endpoint level; rename it, or set autoLabelNames: 'prefixed' \(dynamo_namespace, \.\.\.\)/,
    );
    assert.throws(() => runtime.createCounter('w', 'w', { namespace: 'x' }), /const label 'namespace' collides with the auto label .* namespace level/);
    assert.throws(() => ep.createCounterVec('u', 'u', ['k'], { k: 'v' }), /label 'k' is given both as a const label and as a variable label/);
  });

  test('a name already registered directly in the registry is refused by the engine', () => {
    const runtime = new DistributedRuntime();
    new Counter({ name: 'dynamo_direct', help: 'd', registers: [runtime.registry] });
    assert.throws(() => runtime.createCounter('direct', 'd'), /already been registered/);
  });
});

describe('prometheusMetricsFmt per scope', () => {
  function populated(): DistributedRuntime {
    const runtime = new DistributedRuntime();
    for (const ns of ['ns1', 'ns1x']) {
      for (const comp of ['c1', 'c2']) {
        runtime.namespace(ns).component(comp).createGauge('comp_g', 'g').set(1);
        for (const ep of ['e1', 'e2']) runtime.namespace(ns).component(comp).endpoint(ep).createCounter('ep_c', 'c').inc();
      }
      runtime.namespace(ns).createGauge('ns_g', 'g').set(1);
    }
    runtime.createGauge('rt_g', 'g').set(1);
    new Counter({ name: 'direct_total', help: 'registered in runtime.registry', registers: [runtime.registry] }).inc();
    return runtime;
  }

  test('an endpoint shows only its own series', async () => {
    const text = await populated().namespace('ns1').component('c1').endpoint('e2').prometheusMetricsFmt();
    assert.deepEqual(lines(text), ['dynamo_ep_c{namespace="ns1",component="c1",endpoint="e2"} 1']);
    assert.equal(text.match(/^# TYPE/gm)?.length, 1);
  });

  test('a component shows itself and its endpoints, not its siblings or its namespace', async () => {
    const text = await populated().namespace('ns1').component('c1').prometheusMetricsFmt();
    assert.deepEqual(lines(text), [
      'dynamo_comp_g{namespace="ns1",component="c1"} 1',
      'dynamo_ep_c{namespace="ns1",component="c1",endpoint="e1"} 1',
      'dynamo_ep_c{namespace="ns1",component="c1",endpoint="e2"} 1',
    ]);
  });

  test('a namespace does not match a namespace whose name merely starts the same', async () => {
    const text = await populated().namespace('ns1').prometheusMetricsFmt();
    assert.equal(lines(text).length, 1 + 2 + 4);
    assert.ok(!text.includes('ns1x'));
  });

  test('the runtime shows everything, including metrics registered directly in its registry', async () => {
    const text = await populated().prometheusMetricsFmt();
    assert.equal(lines(text).length, 2 * (1 + 2 + 4) + 1 + 1);
    assert.ok(text.includes('direct_total 1\n'));
  });

  test('an empty scope gives an empty exposition; OpenMetrics on request', async () => {
    const runtime = populated();
    assert.equal(await runtime.namespace('nobody').prometheusMetricsFmt(), '');
    const om = await runtime.namespace('ns1').component('c1').endpoint('e1').prometheusMetricsFmt({ format: 'openmetrics' });
    assert.ok(om.includes('dynamo_ep_c_total{namespace="ns1",component="c1",endpoint="e1"} 1\n'));
    assert.ok(om.endsWith('# EOF\n'));
  });
});

describe('update callbacks', () => {
  test('run before a scrape of their scope or an ancestor, not of a sibling', async () => {
    const runtime = new DistributedRuntime();
    const comp = runtime.namespace('n').component('c');
    const gauge = comp.endpoint('e').createGauge('queue_depth', 'q');
    let calls = 0;
    comp.endpoint('e').addUpdateCallback(async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      gauge.set(calls * 10);
    });
    assert.ok((await comp.endpoint('e').prometheusMetricsFmt()).includes('} 10\n'));
    assert.ok((await runtime.namespace('n').prometheusMetricsFmt()).includes('} 20\n'));
    assert.ok((await runtime.prometheusMetricsFmt()).includes('} 30\n'));
    await comp.endpoint('other').prometheusMetricsFmt();
    await runtime.namespace('m').prometheusMetricsFmt();
    assert.equal(calls, 3);
  });

  test('removal stops a callback', async () => {
    const runtime = new DistributedRuntime();
    let calls = 0;
    const remove = runtime.addUpdateCallback(() => void calls++);
    await runtime.prometheusMetricsFmt();
    remove();
    await runtime.prometheusMetricsFmt();
    assert.equal(calls, 1);
    assert.throws(() => runtime.addUpdateCallback('nope' as never), /callback must be a function/);
  });

  test('a throwing, rejecting or hanging callback is logged and counted; the scrape goes on', async () => {
    const logger = quietLogger();
    const runtime = new DistributedRuntime({ logger, updateCallbackTimeoutMs: 50 });
    const ep = runtime.namespace('n').component('c').endpoint('e');
    ep.createCounter('ok', 'ok').inc();
    ep.addUpdateCallback(() => {
      throw new Error('sensor offline');
    });
    runtime.namespace('n').addUpdateCallback(() => Promise.reject(new Error('rejected')));
    runtime.addUpdateCallback(() => new Promise(() => {}));
    const text = await runtime.prometheusMetricsFmt();
    assert.ok(text.includes('dynamo_ok{namespace="n",component="c",endpoint="e"} 1\n'));
    assert.ok(text.includes('dynamo_update_callback_errors_total{scope="n/c/e"} 1\n'));
    assert.ok(text.includes('dynamo_update_callback_errors_total{scope="n"} 1\n'));
    assert.ok(text.includes('dynamo_update_callback_errors_total{scope="/"} 1\n'));
    assert.ok(logger.lines.some((l) => l.includes("scope 'n/c/e' failed") && l.includes('sensor offline')));
    assert.ok(logger.lines.some((l) => l.includes('did not finish within 50 ms')));
  });
});
