import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { Counter, Registry } from '../../src/index.js';
import { SharedScrape } from '../../src/server/shared-scrape.js';

/** A registry whose exposition is several MB, so renders hand zlib many pieces. */
function registryWith(series: number): { registry: Registry; counter: Counter<'service' | 'operation'> } {
  const registry = new Registry();
  const counter = new Counter({ name: 'reuse_requests_total', help: 'h', labelNames: ['service', 'operation'], registers: [registry] });
  for (let i = 0; i < series; i++) counter.labels(`service-${i % 300}`, `operation-${i}`).inc(i + 1);
  return { registry, counter };
}

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('scrape bodies rendered into a recycled buffer', () => {
  it('a body still held by a response is never overwritten by later renders', async () => {
    const { registry, counter } = registryWith(20_000);
    const scrapes = new SharedScrape(registry, 0);
    const held = await scrapes.acquire('prometheus');
    const heldCopy = Buffer.from(held.body);
    for (let round = 0; round < 3; round++) {
      counter.labels('service-0', 'operation-0').inc(1000);
      const later = await scrapes.acquire('prometheus', round % 2 === 0 ? 'gzip' : undefined);
      assert.equal(later.body.toString(), await registry.metrics());
      later.release();
      await nextTurn(); // lets the released body's buffer go back for the next render
    }
    assert.ok(held.body.equals(heldCopy), 'the held body changed while it was still in use');
    held.release();
  });

  it('gzip of a body that outgrows the recycled buffer mid-render is exactly the body', async () => {
    const { registry, counter } = registryWith(2_000);
    const scrapes = new SharedScrape(registry, 0);
    const small = await scrapes.acquire('prometheus', 'gzip');
    assert.equal(gunzipSync(await small.compressedBody('gzip')).toString(), small.body.toString());
    small.release();
    await nextTurn();
    // 25x the first body: the collector grows while zlib still reads views of the old buffer.
    for (let i = 2_000; i < 50_000; i++) counter.labels(`service-${i % 300}`, `operation-${i}`).inc(i + 1);
    const big = await scrapes.acquire('prometheus', 'gzip');
    const text = await registry.metrics();
    assert.equal(big.body.toString(), text);
    assert.equal(gunzipSync(await big.compressedBody('gzip')).toString(), text);
    big.release();
    await nextTurn();
    // And back down: a body shorter than the recycled buffer ends where its text ends.
    for (let i = 1_000; i < 50_000; i++) counter.remove(`service-${i % 300}`, `operation-${i}`);
    const shrunk = await scrapes.acquire('prometheus', 'gzip');
    const shrunkText = await registry.metrics();
    assert.equal(shrunk.body.toString(), shrunkText);
    assert.equal(gunzipSync(await shrunk.compressedBody('gzip')).toString(), shrunkText);
    shrunk.release();
  });

  it('scrapes that joined one render keep it whole when one of them leaves early', async () => {
    const { registry } = registryWith(20_000);
    const scrapes = new SharedScrape(registry, 0);
    const [first, second] = await Promise.all([scrapes.acquire('prometheus', 'gzip'), scrapes.acquire('prometheus', 'gzip')]);
    assert.equal(first, second);
    const expected = Buffer.from(second.body);
    first.release(); // a client that left before its response started
    const third = await scrapes.acquire('prometheus'); // renders afresh (share window 0)
    assert.notEqual(third, second);
    assert.ok(second.body.equals(expected), 'a body in use was handed to the next render');
    assert.equal(gunzipSync(await second.compressedBody('gzip')).toString(), expected.toString());
    second.release();
    third.release();
  });
});
