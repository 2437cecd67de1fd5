/** A port the demo was told to use is taken: the message names the flag that changes it. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly port: number,
    readonly flag: string,
    options?: { cause?: unknown },
  ) {
    super(`port ${port} is in use: pass ${flag} <free port> (or ${flag} 0 for any free port)`, options);
  }
}

/** True when `error` (or one of its causes) is an EADDRINUSE from listen(). */
export function isAddressInUse(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === 'EADDRINUSE') return true;
  }
  return false;
}
