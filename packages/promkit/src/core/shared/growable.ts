/**
 * Growable SharedArrayBuffers (ES2024, in V8 since Node 20) are what let every thread
 * see a store grow without a message: the buffer object each thread holds keeps its
 * identity and reports the new length. The project's TypeScript lib is ES2023, so the
 * few members used are declared here.
 */
export interface GrowableSharedArrayBuffer extends SharedArrayBuffer {
  readonly growable: boolean;
  readonly maxByteLength: number;
  grow(newByteLength: number): void;
}

type GrowableConstructor = new (byteLength: number, options: { maxByteLength: number }) => GrowableSharedArrayBuffer;

export function growableBuffer(byteLength: number, maxByteLength: number): GrowableSharedArrayBuffer {
  const buffer = new (SharedArrayBuffer as unknown as GrowableConstructor)(byteLength, { maxByteLength });
  if (buffer.growable !== true) throw new Error('promkit shared metrics need growable SharedArrayBuffers (Node.js >= 20)');
  return buffer;
}

export function isGrowable(value: unknown): value is GrowableSharedArrayBuffer {
  return value instanceof SharedArrayBuffer && (value as GrowableSharedArrayBuffer).growable === true;
}
