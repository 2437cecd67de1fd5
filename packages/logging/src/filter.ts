/**
 * The `DYN_LOG` filter: `<default level>,<target>=<level>,...`, as Rust's `tracing`
 * EnvFilter reads it. A directive names a target and everything below it on `::`
 * boundaries (`promkit::kube` covers `promkit::kube::reconcile`); the longest match wins.
 */
import { LEVEL_CHOICES, parseLogLevel, type LogLevel } from './levels.js';

export const DEFAULT_LOG_LEVEL: LogLevel = 'info';

export class LogFilter {
  readonly targets: ReadonlyMap<string, LogLevel>;

  constructor(
    readonly defaultLevel: LogLevel = DEFAULT_LOG_LEVEL,
    targets: Iterable<readonly [string, LogLevel]> = [],
  ) {
    this.targets = new Map(targets);
  }

  /** The level that applies to `target`: its longest configured prefix, else the default. */
  levelFor(target: string): LogLevel {
    let best: LogLevel | undefined;
    let bestLength = -1;
    for (const [prefix, level] of this.targets) {
      const covers = target === prefix || target.startsWith(`${prefix}::`);
      if (covers && prefix.length > bestLength) {
        best = level;
        bestLength = prefix.length;
      }
    }
    return best ?? this.defaultLevel;
  }

  /** `other` on top of this one: its default level (when it sets one) and its targets win. */
  overriddenBy(other: { defaultLevel?: LogLevel; targets: ReadonlyMap<string, LogLevel> }): LogFilter {
    return new LogFilter(other.defaultLevel ?? this.defaultLevel, [...this.targets, ...other.targets]);
  }

  /** The filter in `DYN_LOG` syntax. */
  toString(): string {
    return [this.defaultLevel, ...[...this.targets].map(([t, l]) => `${t}=${l}`)].join(',');
  }
}

/** A parsed filter string: `defaultLevel` is absent when the string names none. */
export interface ParsedLogFilter {
  defaultLevel?: LogLevel;
  targets: Map<string, LogLevel>;
}

const TARGET = /^[A-Za-z_][\w.-]*(::[\w.-]+)*$/;

/** Splits `target=level`; also Dynamo's documented `target:level` (one colon, not `::`). */
function splitDirective(directive: string): [string, string | undefined] {
  const eq = directive.lastIndexOf('=');
  if (eq >= 0) return [directive.slice(0, eq).trim(), directive.slice(eq + 1).trim()];
  const colon = directive.lastIndexOf(':');
  if (colon > 0 && directive[colon - 1] !== ':' && parseLogLevel(directive.slice(colon + 1)) !== undefined) {
    return [directive.slice(0, colon).trim(), directive.slice(colon + 1).trim()];
  }
  return [directive, undefined];
}

/**
 * Parses a filter string. Every bad directive is reported in `errors` (naming it and what
 * is allowed); the caller decides what a bad string falls back to.
 */
export function parseLogFilter(text: string): { filter: ParsedLogFilter; errors: string[] } {
  const filter: ParsedLogFilter = { targets: new Map() };
  const errors: string[] = [];
  for (const raw of text.split(',')) {
    const directive = raw.trim();
    if (directive === '') continue;
    const [target, levelText] = splitDirective(directive);
    if (levelText === undefined) {
      // Unlike EnvFilter, a bare word must be a level: a typo such as 'inf' is reported, not taken for a target.
      const level = parseLogLevel(target);
      if (level !== undefined) filter.defaultLevel = level;
      else errors.push(`'${directive}' is not a level (${LEVEL_CHOICES}); set a target's level with target=level, e.g. promkit::server=debug`);
      continue;
    }
    const level = parseLogLevel(levelText);
    if (!TARGET.test(target)) errors.push(`'${directive}': '${target}' is not a target name such as promkit::kube::reconcile`);
    else if (level === undefined) errors.push(`'${directive}': '${levelText}' is not a level (${LEVEL_CHOICES})`);
    else filter.targets.set(target, level);
  }
  return { filter, errors };
}
