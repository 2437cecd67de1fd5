import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { snappyCompress, snappyUncompress } from '../../src/remote-write/snappy.js';

describe('snappy block format', () => {
  test('round-trips arbitrary bytes, including repetitive and >64 KiB inputs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 40 }), (chunk, repeats) => {
        const input = new Uint8Array(chunk.length * repeats);
        for (let r = 0; r < repeats; r++) input.set(chunk, r * chunk.length);
        assert.deepEqual(snappyUncompress(snappyCompress(input)), input);
      }),
      { numRuns: 300 },
    );
  });

  test('compresses repetitive label-heavy payloads', () => {
    const text = new TextEncoder().encode(
      Array.from({ length: 2000 }, (_, i) => `http_requests_total{method="GET",code="200",instance="10.0.0.${i % 20}"} ${i}\n`).join(''),
    );
    const compressed = snappyCompress(text);
    assert.ok(compressed.length < text.length / 3, `${compressed.length} of ${text.length} bytes`);
    assert.deepEqual(snappyUncompress(compressed), text);
  });

  test('copy elements decode as the format specifies (Prometheus decoding our blocks is proven in prometheus-remote-write.test.ts)', () => {
    // 12 bytes: literal "abcd" (tag 3<<2), then copy-1 (tag 0b000_100_01): length 4+4 = 8, offset 4.
    const valid = new Uint8Array([12, 3 << 2, 97, 98, 99, 100, 0b000_100_01, 4]);
    assert.equal(new TextDecoder().decode(snappyUncompress(valid)), 'abcdabcdabcd');
    // The same copy with offset 260 reaches before the start.
    assert.throws(() => snappyUncompress(new Uint8Array([12, 3 << 2, 97, 98, 99, 100, 0b001_100_01, 4])), /snappy: copy out of range/);
  });

  test('corrupt input is rejected with a reason', () => {
    assert.throws(() => snappyUncompress(new Uint8Array([10, 0, 65])), /snappy: block says 10 bytes, got 1/);
  });
});
