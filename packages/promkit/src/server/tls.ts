import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';

export interface TlsFiles {
  /** PEM certificate (chain) file. */
  certFile: string;
  /** PEM private key file. */
  keyFile: string;
  /**
   * The servers reload both files when they change (file-system events, and a poll at this
   * interval). Default 10 000 ms.
   */
  watchIntervalMs?: number;
}

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
}

async function readPem(option: string, file: unknown): Promise<Buffer> {
  if (typeof file !== 'string' || file === '') throw new TypeError(`tls.${option} must be the path of a PEM file, got ${JSON.stringify(file)}`);
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(`tls.${option} '${file}' cannot be read (${code}): give the path of a readable PEM file`);
  }
}

/** Reads and checks a certificate/key pair, so a bad pair fails at start-up, not on the first handshake. */
export async function loadTlsFiles(tls: TlsFiles): Promise<TlsMaterial> {
  const [cert, key] = await Promise.all([readPem('certFile', tls.certFile), readPem('keyFile', tls.keyFile)]);
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`tls.certFile '${tls.certFile}' and tls.keyFile '${tls.keyFile}' are not a valid PEM certificate and matching private key: ${detail}`);
  }
  return { cert, key };
}
