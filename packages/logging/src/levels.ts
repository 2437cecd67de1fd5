/** Levels of the `DYN_LOG` filter, least to most verbose, as Dynamo (Rust `tracing`) names them. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'trace'] as const;

/** A filter level: one of {@link LOG_LEVELS}, or `off` to silence a target. */
export type LogLevel = (typeof LOG_LEVELS)[number] | 'off';

const ALLOWED: ReadonlySet<string> = new Set<string>([...LOG_LEVELS, 'off']);

/** The level a filter word names (any case), or undefined for anything else. */
export function parseLogLevel(text: string): LogLevel | undefined {
  const word = text.trim().toLowerCase();
  return ALLOWED.has(word) ? (word as LogLevel) : undefined;
}

export const LEVEL_CHOICES = [...LOG_LEVELS, 'off'].join(', ');

/** pino's name for a filter level: `off` is pino's `silent`. */
export function pinoLevelOf(level: LogLevel): string {
  return level === 'off' ? 'silent' : level;
}
