/**
 * Loggers built on pino, configured like Dynamo's: JSON lines or a readable line on
 * stderr, a per-target level filter, UTC or local timestamps, and the active span's
 * `trace_id`/`span_id` on every line written inside a span.
 */
import { pino, type Logger as PinoLogger } from 'pino';
import { correlationFields } from 'promkit/integration';
import { loadLoggingConfig, type LoggingConfig } from './env-config.js';
import { LogFilter, parseLogFilter } from './filter.js';
import { pinoLevelOf } from './levels.js';
import { readableDestination, type LineSink } from './readable.js';
import { formatTimestamp } from './timestamp.js';

/** A pino logger bound to one target: `log.info('text')`, `log.info({ key: 1 }, 'text')`, `log.error({ err }, 'text')`. */
export type Logger = PinoLogger;

export interface LoggingOptions {
  /** Read instead of process.env. */
  env?: NodeJS.ProcessEnv;
  /** Override `DYN_LOGGING_JSONL`. */
  jsonl?: boolean;
  /** Override `DYN_LOG_USE_LOCAL_TZ`. */
  localTimezone?: boolean;
  /** Override `DYN_LOG` and the config file: a filter or a string in `DYN_LOG` syntax. */
  filter?: LogFilter | string;
  /** Where lines go; default stderr (synchronous writes, so nothing is lost on exit). */
  destination?: LineSink;
  /** Clock in epoch milliseconds (tests). */
  now?: () => number;
}

export interface Logging {
  readonly config: Readonly<LoggingConfig>;
  /** The logger of a target such as `promkit::server`, at the level the filter gives it. Cached. */
  logger(target: string): Logger;
}

/** Configuration problems already reported by this process: each is said once. */
const reported = new Set<string>();

export const LOGGING_TARGET = 'promkit::logging';

function resolveConfig(options: LoggingOptions): { config: LoggingConfig; problems: string[] } {
  const { config, problems } = loadLoggingConfig(options.env ?? process.env);
  if (options.jsonl !== undefined) config.jsonl = options.jsonl;
  if (options.localTimezone !== undefined) config.localTimezone = options.localTimezone;
  if (options.filter instanceof LogFilter) config.filter = options.filter;
  else if (typeof options.filter === 'string') {
    const parsed = parseLogFilter(options.filter);
    if (parsed.errors.length > 0) problems.push(`log filter ${JSON.stringify(options.filter)} is invalid: ${parsed.errors.join('; ')}; using info`);
    config.filter = parsed.errors.length > 0 ? new LogFilter() : new LogFilter().overriddenBy(parsed.filter);
  }
  return { config, problems };
}

export function createLogging(options: LoggingOptions = {}): Logging {
  const { config, problems } = resolveConfig(options);
  const now = options.now ?? Date.now;
  const sink: LineSink = options.destination ?? pino.destination({ dest: 2, sync: true });
  const root = pino(
    {
      level: pinoLevelOf(config.filter.defaultLevel),
      base: undefined,
      messageKey: 'message',
      timestamp: () => `,"time":"${formatTimestamp(now(), config.localTimezone)}"`,
      formatters: { level: (label) => ({ level: label.toUpperCase() }) },
      mixin: () => correlationFields(),
    },
    config.jsonl ? sink : readableDestination(sink),
  );
  const loggers = new Map<string, Logger>();
  const logging: Logging = {
    config,
    logger(target) {
      let logger = loggers.get(target);
      if (logger === undefined) {
        logger = root.child({ target }, { level: pinoLevelOf(config.filter.levelFor(target)) });
        loggers.set(target, logger);
      }
      return logger;
    },
  };
  // Said whatever the filter, since a filter problem may be what silences it.
  const problemLog = root.child({ target: LOGGING_TARGET }, { level: 'warn' });
  for (const problem of problems) {
    if (reported.has(problem)) continue;
    reported.add(problem);
    problemLog.warn(problem);
  }
  return logging;
}
