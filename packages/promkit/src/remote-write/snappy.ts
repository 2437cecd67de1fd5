/**
 * Snappy block format (what remote write's `Content-Encoding: snappy` means: one block,
 * not the framed stream format), hand-written so the engine takes no dependency.
 * Compression follows the reference encoder's shape: 64 KiB fragments, a 4-byte hash
 * table of recent positions, literals and copies with 1- or 2-byte offsets.
 */

const FRAGMENT = 1 << 16;
const HASH_BITS = 14;

function writeVarint(out: Uint8Array, pos: number, value: number): number {
  while (value >= 0x80) {
    out[pos++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  out[pos++] = value;
  return pos;
}

/** Worst case of the reference implementation: 32 + n + n/6. */
export function maxCompressedLength(n: number): number {
  return 32 + n + Math.ceil(n / 6);
}

function emitLiteral(src: Uint8Array, from: number, to: number, out: Uint8Array, pos: number): number {
  const n = to - from;
  if (n === 0) return pos;
  const m = n - 1;
  if (m < 60) out[pos++] = m << 2;
  else if (m < 0x100) {
    out[pos++] = 60 << 2;
    out[pos++] = m;
  } else if (m < 0x10000) {
    out[pos++] = 61 << 2;
    out[pos++] = m & 0xff;
    out[pos++] = m >>> 8;
  } else {
    out[pos++] = 62 << 2;
    out[pos++] = m & 0xff;
    out[pos++] = (m >>> 8) & 0xff;
    out[pos++] = m >>> 16;
  }
  out.set(src.subarray(from, to), pos);
  return pos + n;
}

function emitCopyAtMost64(offset: number, length: number, out: Uint8Array, pos: number): number {
  if (length >= 4 && length <= 11 && offset < 2048) {
    out[pos++] = 1 | ((length - 4) << 2) | ((offset >>> 8) << 5);
    out[pos++] = offset & 0xff;
  } else {
    out[pos++] = 2 | ((length - 1) << 2);
    out[pos++] = offset & 0xff;
    out[pos++] = offset >>> 8;
  }
  return pos;
}

function emitCopy(offset: number, length: number, out: Uint8Array, pos: number): number {
  // Pieces of 64, leaving at least 4 for the last one (as the reference encoder does).
  while (length >= 68) {
    pos = emitCopyAtMost64(offset, 64, out, pos);
    length -= 64;
  }
  if (length > 64) {
    pos = emitCopyAtMost64(offset, 60, out, pos);
    length -= 60;
  }
  return emitCopyAtMost64(offset, length, out, pos);
}

const load32 = (b: Uint8Array, i: number): number => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);

function compressFragment(src: Uint8Array, table: Int32Array, out: Uint8Array, pos: number): number {
  const n = src.length;
  table.fill(-1);
  let literalStart = 0;
  let i = 0;
  const limit = n - 4;
  while (i <= limit) {
    const word = load32(src, i);
    const h = Math.imul(word, 0x1e35a7bd) >>> (32 - HASH_BITS);
    const candidate = table[h];
    table[h] = i;
    if (candidate < 0 || load32(src, candidate) !== word) {
      i++;
      continue;
    }
    pos = emitLiteral(src, literalStart, i, out, pos);
    let length = 4;
    while (i + length < n && src[candidate + length] === src[i + length]) length++;
    pos = emitCopy(i - candidate, length, out, pos);
    i += length;
    literalStart = i;
  }
  return emitLiteral(src, literalStart, n, out, pos);
}

/** Compresses one snappy block. */
export function snappyCompress(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(maxCompressedLength(input.length));
  let pos = writeVarint(out, 0, input.length);
  const table = new Int32Array(1 << HASH_BITS);
  for (let start = 0; start < input.length; start += FRAGMENT) {
    pos = compressFragment(input.subarray(start, Math.min(start + FRAGMENT, input.length)), table, out, pos);
  }
  return out.subarray(0, pos);
}

/** Decompresses one snappy block; throws on corrupt input (naming what is wrong). */
export function snappyUncompress(input: Uint8Array): Uint8Array {
  let pos = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= input.length || shift > 28) throw new Error('snappy: bad uncompressed-length varint');
    const b = input[pos++];
    length += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  const out = new Uint8Array(length);
  let o = 0;
  while (pos < input.length) {
    const tag = input[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let n = tag >>> 2;
      if (n >= 60) {
        const bytes = n - 59;
        n = 0;
        for (let k = 0; k < bytes; k++) n |= input[pos++] << (8 * k);
      }
      n += 1;
      if (pos + n > input.length || o + n > length) throw new Error('snappy: literal runs past the end');
      out.set(input.subarray(pos, pos + n), o);
      pos += n;
      o += n;
      continue;
    }
    let n: number;
    let offset: number;
    if (kind === 1) {
      n = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | input[pos++];
    } else if (kind === 2) {
      n = (tag >>> 2) + 1;
      offset = input[pos] | (input[pos + 1] << 8);
      pos += 2;
    } else {
      n = (tag >>> 2) + 1;
      offset = (input[pos] | (input[pos + 1] << 8) | (input[pos + 2] << 16) | (input[pos + 3] << 24)) >>> 0;
      pos += 4;
    }
    if (offset === 0 || offset > o || o + n > length) throw new Error('snappy: copy out of range');
    for (let k = 0; k < n; k++, o++) out[o] = out[o - offset];
  }
  if (o !== length) throw new Error(`snappy: block says ${length} bytes, got ${o}`);
  return out;
}
