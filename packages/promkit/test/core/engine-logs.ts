/** What promkit's own components logged through promkit/integration's logger, kept in memory. */
import { setLoggerFactory, type LogMethod } from '../../src/integration/index.js';

export interface EngineLogLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  target: string;
  message: string;
}

/** Captures every engine log line while `run` runs; the previous logger comes back after. */
export async function captureEngineLogs<T>(run: () => T | Promise<T>): Promise<{ result: T; lines: EngineLogLine[] }> {
  const lines: EngineLogLine[] = [];
  const method =
    (target: string, level: EngineLogLine['level']): LogMethod =>
    (first: string | Record<string, unknown>, message?: string) =>
      void lines.push({ level, target, message: typeof first === 'string' ? first : (message ?? '') });
  const previous = setLoggerFactory((target) => ({
    error: method(target, 'error'),
    warn: method(target, 'warn'),
    info: method(target, 'info'),
    debug: method(target, 'debug'),
  }));
  try {
    return { result: await run(), lines };
  } finally {
    setLoggerFactory(previous);
  }
}
