/**
 * A minimal protobuf wire-format writer for the two fixed schemas promkit emits
 * (io.prometheus.client.MetricFamily and prometheus.WriteRequest). Hand-written rather
 * than generated: the schemas are small and stable, the engine takes no dependency, and
 * nested messages are written in place (length back-patched) with no per-message objects.
 */

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;

const utf8 = new TextEncoder();

export class ProtoWriter {
  buf: Uint8Array;
  pos = 0;
  private view: DataView;
  private readonly starts: number[] = [];

  constructor(initialBytes = 64 * 1024) {
    this.buf = new Uint8Array(initialBytes);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + bytes) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }

  /** Unsigned varint of a non-negative integer up to 2^53. */
  varint(value: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    if (value < 0x80000000) {
      let v = value >>> 0;
      while (v >= 0x80) {
        buf[pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      buf[pos++] = v;
    } else {
      let v = value;
      while (v >= 0x80) {
        buf[pos++] = (v % 128) | 0x80;
        v = Math.floor(v / 128);
      }
      buf[pos++] = v;
    }
    this.pos = pos;
  }

  tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  /** uint64/uint32/enum field; counts arrive as doubles holding integers. */
  uintField(field: number, value: number): void {
    this.tag(field, WIRE_VARINT);
    this.varint(value > 0 ? Math.round(value) : 0);
  }

  /** int64 field (timestamps in ms); negative values need the 10-byte two's complement form. */
  intField(field: number, value: number): void {
    this.tag(field, WIRE_VARINT);
    if (value >= 0) this.varint(value);
    else this.negativeVarint(value);
  }

  private negativeVarint(value: number): void {
    // Two's complement over 64 bits, written 7 bits at a time with BigInt: rare path.
    let v = BigInt.asUintN(64, BigInt(Math.trunc(value)));
    this.ensure(10);
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }

  /** sint32/sint64: zigzag, exact for |value| < 2^52. */
  zigzag(value: number): void {
    this.varint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  sintField(field: number, value: number): void {
    this.tag(field, WIRE_VARINT);
    this.zigzag(value);
  }

  double(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  doubleField(field: number, value: number): void {
    this.tag(field, WIRE_FIXED64);
    this.double(value);
  }

  stringField(field: number, value: string): void {
    this.tag(field, WIRE_LEN);
    const n = value.length;
    if (n < 128) {
      // One length byte; ASCII is copied directly, anything else goes through TextEncoder.
      this.ensure(1 + n);
      const buf = this.buf;
      const start = this.pos;
      let pos = start + 1;
      for (let i = 0; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) {
          this.pos = start;
          this.longString(value);
          return;
        }
        buf[pos++] = c;
      }
      buf[start] = n;
      this.pos = pos;
      return;
    }
    this.longString(value);
  }

  /** A string field from `text[start, end)`, which must be ASCII (label names are). */
  asciiField(field: number, text: string, start: number, end: number): void {
    this.tag(field, WIRE_LEN);
    this.fork();
    this.ensure(end - start);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = start; i < end; i++) buf[pos++] = text.charCodeAt(i);
    this.pos = pos;
    this.ldelim();
  }

  /**
   * A string field from an escaped label value in rendered label text, starting at
   * `start` (after the opening quote); returns the index of the closing quote. ASCII is
   * unescaped straight into the buffer; anything else is decoded through a string.
   * `unquoted`: the value runs to the end of `text` (a series' escaped last value).
   */
  escapedValueField(field: number, text: string, start: number, unquoted = false): number {
    this.tag(field, WIRE_LEN);
    this.fork();
    const mark = this.pos;
    // ASCII never writes more bytes than there are characters left.
    this.ensure(text.length - start);
    const buf = this.buf;
    let pos = this.pos;
    let i = start;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 34 /* " */ || (unquoted && i === text.length)) break;
      if (Number.isNaN(c) || c >= 0x80) {
        // Non-ASCII (or the end, NaN): redo this value through a string.
        this.pos = mark;
        let j = i;
        while (j < text.length && text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? 2 : 1;
        const raw = text.slice(start, j);
        const value = raw.includes('\\') ? raw.replace(/\\(.)/g, (_, x: string) => (x === 'n' ? '\n' : x)) : raw;
        this.ensure(value.length * 3);
        this.pos += utf8.encodeInto(value, this.buf.subarray(this.pos)).written;
        this.ldelim();
        return j;
      }
      if (c === 92 /* \ */) {
        const next = text.charCodeAt(i + 1);
        buf[pos++] = next === 110 /* n */ ? 10 : next;
        i += 2;
      } else {
        buf[pos++] = c;
        i++;
      }
    }
    this.pos = pos;
    this.ldelim();
    return i;
  }

  private longString(value: string): void {
    this.ensure(value.length * 3 + 5);
    this.fork();
    const { written } = utf8.encodeInto(value, this.buf.subarray(this.pos));
    this.pos += written;
    this.ldelim();
  }

  /** Starts a length-delimited field's payload (the tag is written by the caller). */
  fork(): void {
    this.ensure(1);
    this.starts.push(this.pos);
    this.pos += 1; // one length byte reserved; moved right in ldelim() if the payload is longer
  }

  /** Ends the payload begun by the matching fork() and writes its length in front of it. */
  ldelim(): void {
    const start = this.starts.pop();
    if (start === undefined) throw new Error('ProtoWriter: ldelim() without fork()');
    const length = this.pos - start - 1;
    if (length < 0x80) {
      this.buf[start] = length;
      return;
    }
    let size = 1;
    for (let v = length; v >= 0x80; v = Math.floor(v / 128)) size++;
    this.ensure(size - 1);
    this.buf.copyWithin(start + size, start + 1, this.pos);
    this.pos += size - 1;
    let pos = start;
    let v = length;
    while (v >= 0x80) {
      this.buf[pos++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[pos] = v;
  }

  /** Drops everything written since the matching fork(), the reserved length byte included. */
  abandon(): void {
    const start = this.starts.pop();
    if (start === undefined) throw new Error('ProtoWriter: abandon() without fork()');
    this.pos = start;
  }

  /** A sub-message field: tag, then the payload between fork() and ldelim(). */
  beginMessage(field: number): void {
    this.tag(field, WIRE_LEN);
    this.fork();
  }

  /** Packed repeated sint64 (the parsers accept packed and unpacked alike). */
  packedSint(field: number, values: ArrayLike<number>): void {
    if (values.length === 0) return;
    this.beginMessage(field);
    for (let i = 0; i < values.length; i++) this.zigzag(values[i]);
    this.ldelim();
  }

  /** Packed repeated double. */
  packedDouble(field: number, values: ArrayLike<number>): void {
    if (values.length === 0) return;
    this.beginMessage(field);
    for (let i = 0; i < values.length; i++) this.double(values[i]);
    this.ldelim();
  }

  /** The bytes written so far (a view, not a copy). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}
