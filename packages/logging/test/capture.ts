/** A logging whose lines are kept in memory, for asserting on what was written. */
import { createLogging, type Logging, type LoggingOptions } from '../src/index.js';

export interface CapturedLogging {
  logging: Logging;
  /** Every line written, as written. */
  raw: string[];
  /** Every line parsed as JSON (jsonl only). */
  records(): Array<Record<string, unknown>>;
}

export function captureLogging(options: LoggingOptions = {}): CapturedLogging {
  const raw: string[] = [];
  const logging = createLogging({ env: {}, jsonl: true, ...options, destination: { write: (line: string) => void raw.push(line) } });
  return { logging, raw, records: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
