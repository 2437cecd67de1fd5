/** metrics() builds its string through TextCollector: it must equal joining the chunks, whatever the text and buffer. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Counter, Registry } from '../../src/index.js';
import { TextCollector } from '../../src/exposition/text-collector.js';

function collect(chunks: readonly string[], expectedBytes?: number, previous?: Buffer): TextCollector {
  const collector = new TextCollector(expectedBytes, previous);
  for (const chunk of chunks) collector.writeChunk(chunk);
  return collector;
}

describe('TextCollector', () => {
  const ascii = ['a{b="c"} 1\n', 'x'.repeat(100_000), '\n'];
  const wide = ['name{l="é"} 1\n', 'name{l="😀 \u0800"} 2\n', 'y'.repeat(70_000)];

  test('ASCII and non-ASCII text come back as the joined chunks', () => {
    for (const chunks of [ascii, wide, [...wide, ...ascii]]) {
      const collector = collect(chunks);
      assert.equal(collector.text(), chunks.join(''));
      assert.equal(collector.byteLength, Buffer.byteLength(chunks.join('')));
    }
  });

  test('a buffer sized too small grows; a reused buffer may be larger or smaller than needed', () => {
    assert.equal(collect(ascii, 10).text(), ascii.join(''));
    const big = Buffer.alloc(1 << 20, 0x7a);
    assert.equal(collect(wide, 0, big).text(), wide.join(''));
    assert.equal(collect(ascii, 200_000, Buffer.alloc(16)).text(), ascii.join(''));
  });

  test('successive metrics() calls, which reuse one buffer, each return their own text', async () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'c_total', help: 'h', labelNames: ['l'], registers: [registry] });
    counter.labels('é'.repeat(3)).inc();
    const first = await registry.metrics();
    counter.labels('plain').inc(2);
    const second = await registry.metrics();
    assert.match(first, /c_total\{l="ééé"\} 1\n$/);
    assert.ok(!first.includes('plain'));
    assert.match(second, /c_total\{l="plain"\} 2\n$/);
    assert.ok(second.startsWith(first.slice(0, -1)));
  });
});
