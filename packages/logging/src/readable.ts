/**
 * The readable one-line format (when `DYN_LOGGING_JSONL` is off), after Rust tracing's
 * compact format: `2025-09-02T15:50:01.770Z  INFO promkit::server: message key=value`.
 */
const FIXED = new Set(['time', 'level', 'target', 'message']);

function fieldText(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (value !== null && typeof value === 'object' && typeof (value as { stack?: unknown }).stack === 'string') {
    return JSON.stringify((value as { stack: string }).stack);
  }
  return JSON.stringify(value) ?? String(value);
}

/** One record (as pino serialised it) as a readable line, newline included. */
export function readableLine(record: Record<string, unknown>): string {
  const level = String(record.level ?? '').padStart(5);
  let line = `${String(record.time ?? '')} ${level} ${String(record.target ?? '')}: ${String(record.message ?? '')}`;
  for (const [key, value] of Object.entries(record)) {
    if (!FIXED.has(key)) line += ` ${key}=${fieldText(value)}`;
  }
  return `${line}\n`;
}

export interface LineSink {
  write(line: string): unknown;
}

/** A pino destination that turns each JSON line into a readable one before writing it. */
export function readableDestination(sink: LineSink): LineSink {
  return {
    write(json: string) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(json) as Record<string, unknown>;
      } catch {
        return sink.write(json);
      }
      return sink.write(readableLine(record));
    },
  };
}
