/**
 * The logger promkit's own components (status server, runtime, operator kit) write to.
 * The engine ships no logging library: by default warnings and errors go to stderr as
 * one line each, and `@promkit/logging` (pino, `DYN_LOG*`) installs itself here with
 * `installLogging()`. Any logger with pino's call shapes can be installed instead.
 */

/** A log call as pino takes it: a message, or fields then a message. */
export interface LogMethod {
  (message: string): void;
  (fields: Record<string, unknown>, message: string): void;
}

export interface Logger {
  error: LogMethod;
  warn: LogMethod;
  info: LogMethod;
  debug: LogMethod;
}

/** Hands out the logger of a target such as `promkit::server`. */
export type LoggerFactory = (target: string) => Logger;

const LEVELS = ['error', 'warn', 'info', 'debug'] as const;
type Level = (typeof LEVELS)[number];

function errorText(value: unknown): string {
  return value instanceof Error ? (value.stack ?? value.message) : JSON.stringify(value);
}

function stderrLogger(target: string): Logger {
  const write =
    (level: Level): LogMethod =>
    (first: string | Record<string, unknown>, message?: string) => {
      if (level === 'info' || level === 'debug') return;
      const text = typeof first === 'string' ? first : message;
      const fields =
        typeof first === 'string'
          ? ''
          : Object.entries(first)
              .map(([key, value]) => ` ${key}=${errorText(value)}`)
              .join('');
      process.stderr.write(`${level.toUpperCase()} ${target}: ${text}${fields}\n`);
    };
  return { error: write('error'), warn: write('warn'), info: write('info'), debug: write('debug') };
}

let factory: LoggerFactory = stderrLogger;

/** Installs the factory promkit takes its loggers from (undefined: back to stderr for warnings and errors). Returns the previous one. */
export function setLoggerFactory(next: LoggerFactory | undefined): LoggerFactory {
  const previous = factory;
  factory = next ?? stderrLogger;
  return previous;
}

/** The logger of `target` from the installed factory. Take it when a component starts, not at module load, so an installed factory applies. */
export function getLogger(target: string): Logger {
  return factory(target);
}
