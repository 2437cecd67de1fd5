/**
 * The process-wide logging that promkit's own components (server, operator kit, demo)
 * use, created from the environment on first use. Call `setDefaultLogging` before
 * starting components to configure it in code.
 */
import { setLoggerFactory, type LoggerFactory } from 'promkit/integration';
import { createLogging, type Logger, type Logging } from './logger.js';

let current: Logging | undefined;

export function defaultLogging(): Logging {
  current ??= createLogging();
  return current;
}

/** Replaces the default (undefined: recreate from the environment on next use). Loggers already handed out keep theirs. */
export function setDefaultLogging(logging: Logging | undefined): void {
  current = logging;
}

/** The default logging's logger for `target`, e.g. `getLogger('promkit::kube::reconcile')`. */
export function getLogger(target: string): Logger {
  return defaultLogging().logger(target);
}

/**
 * Routes the logs of promkit's own components (status server, runtime, operator kit)
 * through the default logging: pino, configured by `DYN_LOG*`. Without it the engine
 * writes only warnings and errors, to stderr. A later `setDefaultLogging()` applies too.
 * Returns the factory it replaced (pass it to `setLoggerFactory` to undo).
 */
export function installLogging(): LoggerFactory {
  return setLoggerFactory(getLogger);
}
