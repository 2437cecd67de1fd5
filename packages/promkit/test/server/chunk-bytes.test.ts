import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chunkBytes } from '../../src/server/chunk-bytes.js';

test('chunkBytes gives the UTF-8 bytes of ASCII and of non-ASCII chunks', () => {
  for (const text of ['', 'up{job="a"} 1\n', 'x{v="é"} 1\n', 'x{v="ÿ"} 1\n', 'x{v="日本"} 2\n', 'x{v="🙂"} 3\n', `${'a'.repeat(100_000)}ü`]) {
    assert.deepEqual(chunkBytes(text), Buffer.from(text, 'utf8'), JSON.stringify(text.slice(-12)));
  }
});
