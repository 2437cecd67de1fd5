/** The operator's logger: one function, so the demo can keep its terminal to the summary line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Log = (level: LogLevel, message: string) => void;

const ORDER: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Writes messages at `min` and above to stderr. */
export function stderrLog(min: LogLevel = 'warn'): Log {
  return (level, message) => {
    if (ORDER[level] >= ORDER[min]) process.stderr.write(`[${level}] ${message}\n`);
  };
}

export const silentLog: Log = () => {};

/** The log level asked for in PROMKIT_DEMO_LOG (debug, info, warn, error), if any. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel | undefined {
  const value = env.PROMKIT_DEMO_LOG?.toLowerCase();
  return value !== undefined && value in ORDER ? (value as LogLevel) : undefined;
}
