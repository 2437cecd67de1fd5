/**
 * The file `DYN_LOGGING_CONFIG_PATH` points to: TOML as Dynamo writes it (`log_level`,
 * `[log_filters]`), or YAML (JSON is YAML too), with a default level and per-target
 * levels under either pair of key names.
 *
 * ```toml
 * log_level = "info"
 * [log_filters]
 * "promkit::server" = "debug"
 * ```
 *
 * ```yaml
 * level: info
 * targets:
 *   promkit::server: debug
 *   promkit::kube: warn
 * ```
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import type { ParsedLogFilter } from './filter.js';
import { LEVEL_CHOICES, parseLogLevel } from './levels.js';

const KEYS: Record<string, 'level' | 'targets'> = { level: 'level', log_level: 'level', targets: 'targets', log_filters: 'targets' };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Interprets the parsed document; every problem is listed in `errors`. */
export function loggingConfigFromDocument(doc: unknown, source: string): { filter: ParsedLogFilter; errors: string[] } {
  const filter: ParsedLogFilter = { targets: new Map() };
  const errors: string[] = [];
  if (doc === null || doc === undefined) return { filter, errors };
  if (!isPlainObject(doc))
    return { filter, errors: [`${source}: expected a mapping with 'level' and 'targets', got ${Array.isArray(doc) ? 'a list' : typeof doc}`] };
  for (const [key, value] of Object.entries(doc)) {
    const field = KEYS[key];
    if (field === undefined) {
      errors.push(`${source}: unknown key '${key}' (allowed: level, targets)`);
    } else if (field === 'level') {
      const level = typeof value === 'string' ? parseLogLevel(value) : undefined;
      if (level === undefined) errors.push(`${source}: level ${JSON.stringify(value)} is not one of ${LEVEL_CHOICES}`);
      else filter.defaultLevel = level;
    } else if (!isPlainObject(value)) {
      errors.push(`${source}: targets must map target names to levels, e.g. { "promkit::server": debug }`);
    } else {
      for (const [target, levelText] of Object.entries(value)) {
        const level = typeof levelText === 'string' ? parseLogLevel(levelText) : undefined;
        if (level === undefined) errors.push(`${source}: level ${JSON.stringify(levelText)} of target '${target}' is not one of ${LEVEL_CHOICES}`);
        else filter.targets.set(target, level);
      }
    }
  }
  return { filter, errors };
}

/**
 * `.toml` is TOML, `.yaml`/`.yml`/`.json` YAML. Any other name is tried as TOML first:
 * TOML is strict enough that a YAML or JSON document is not also TOML.
 */
function parseConfigText(path: string, text: string): unknown {
  const ext = extname(path).toLowerCase();
  if (ext === '.toml') return parseTomlNamed(text);
  if (ext === '.yaml' || ext === '.yml' || ext === '.json') return parseYaml(text);
  try {
    return parseToml(text);
  } catch {
    return parseYaml(text);
  }
}

function parseTomlNamed(text: string): unknown {
  try {
    return parseToml(text);
  } catch (error) {
    const line = (error as { line?: number }).line;
    const first = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`${first}${line !== undefined ? ` (line ${line})` : ''}`, { cause: error });
  }
}

/** Reads and interprets the file; an unreadable or unparsable file is one error. */
export function readLoggingConfigFile(path: string): { filter: ParsedLogFilter; errors: string[] } {
  let doc: unknown;
  try {
    doc = parseConfigText(path, readFileSync(path, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { filter: { targets: new Map() }, errors: [`cannot read logging config ${path}: ${why}`] };
  }
  return loggingConfigFromDocument(doc, path);
}
