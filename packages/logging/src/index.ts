/**
 * promkit/logging: pino loggers configured by Dynamo's variables (`DYN_LOGGING_JSONL`,
 * `DYN_LOG`, `DYN_LOG_USE_LOCAL_TZ`, `DYN_LOGGING_CONFIG_PATH`), with the active span's
 * ids on every line. See docs/logging-tracing.md.
 */
export { createLogging, LOGGING_TARGET, type Logger, type Logging, type LoggingOptions } from './logger.js';
export { defaultLogging, getLogger, setDefaultLogging, installLogging } from './default-logging.js';
export { DEFAULT_LOG_LEVEL, LogFilter, parseLogFilter, type ParsedLogFilter } from './filter.js';
export { LOG_LEVELS, parseLogLevel, type LogLevel } from './levels.js';
export { loadLoggingConfig, LOGGING_ENV_VARS, type LoggingConfig } from './env-config.js';
export { loggingConfigFromDocument, readLoggingConfigFile } from './config-file.js';
export { formatTimestamp } from './timestamp.js';
export { readableLine, type LineSink } from './readable.js';
