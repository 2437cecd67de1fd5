/**
 * Logging settings from the environment, as Dynamo reads them. Nothing here throws: a
 * bad setting is listed in `problems` (to be reported once) and the default is used.
 */
import { envFlag } from 'promkit/integration';
import { readLoggingConfigFile } from './config-file.js';
import { LogFilter, parseLogFilter } from './filter.js';

export const LOGGING_ENV_VARS = Object.freeze({
  jsonl: 'DYN_LOGGING_JSONL',
  filter: 'DYN_LOG',
  localTimezone: 'DYN_LOG_USE_LOCAL_TZ',
  configPath: 'DYN_LOGGING_CONFIG_PATH',
});

export interface LoggingConfig {
  /** JSON lines (true) or the readable one-line format. */
  jsonl: boolean;
  /** Timestamps in local time with an offset (true) or UTC with `Z`. */
  localTimezone: boolean;
  filter: LogFilter;
}

/**
 * The filter: the config file's level and targets, then `DYN_LOG` on top (the environment
 * wins, as in Dynamo). A bad `DYN_LOG` or file is ignored as a whole, leaving `info`.
 */
function loadFilter(env: NodeJS.ProcessEnv, problems: string[]): LogFilter {
  let filter = new LogFilter();
  const path = env[LOGGING_ENV_VARS.configPath]?.trim();
  if (path) {
    const file = readLoggingConfigFile(path);
    if (file.errors.length > 0) problems.push(`${LOGGING_ENV_VARS.configPath}: ${file.errors.join('; ')}; ignoring the file`);
    else filter = filter.overriddenBy(file.filter);
  }
  const text = env[LOGGING_ENV_VARS.filter];
  if (text !== undefined && text.trim() !== '') {
    const parsed = parseLogFilter(text);
    if (parsed.errors.length > 0) problems.push(`${LOGGING_ENV_VARS.filter}=${JSON.stringify(text)} is invalid: ${parsed.errors.join('; ')}; using ${filter}`);
    else filter = filter.overriddenBy(parsed.filter);
  }
  return filter;
}

export function loadLoggingConfig(env: NodeJS.ProcessEnv = process.env): { config: LoggingConfig; problems: string[] } {
  const problems: string[] = [];
  const config: LoggingConfig = {
    jsonl: envFlag(env, LOGGING_ENV_VARS.jsonl, problems),
    localTimezone: envFlag(env, LOGGING_ENV_VARS.localTimezone, problems),
    filter: loadFilter(env, problems),
  };
  return { config, problems };
}
