import { FALSE_WORDS, TRUE_WORDS } from '../integration/env-flag.js';
import { HEALTH_STATUSES, type HealthStatus } from './health-state.js';

/** Settings of the system status server, as `DYN_SYSTEM_*` variables describe them. */
export interface SystemServerConfig {
  enabled: boolean;
  port: number;
  host: string;
  healthPath: string;
  livePath: string;
  startingHealthStatus: HealthStatus;
  useEndpointHealthStatus: string[];
}

export const SYSTEM_ENV_VARS: Readonly<Record<keyof SystemServerConfig, string>> = Object.freeze({
  enabled: 'DYN_SYSTEM_ENABLED',
  port: 'DYN_SYSTEM_PORT',
  host: 'DYN_SYSTEM_HOST',
  healthPath: 'DYN_SYSTEM_HEALTH_PATH',
  livePath: 'DYN_SYSTEM_LIVE_PATH',
  startingHealthStatus: 'DYN_SYSTEM_STARTING_HEALTH_STATUS',
  useEndpointHealthStatus: 'DYN_SYSTEM_USE_ENDPOINT_HEALTH_STATUS',
});

export const SYSTEM_DEFAULTS: Readonly<SystemServerConfig> = Object.freeze({
  enabled: false,
  port: 8081,
  host: '0.0.0.0',
  healthPath: '/health',
  livePath: '/live',
  startingHealthStatus: 'notready',
  useEndpointHealthStatus: [],
});

/** A malformed setting; `variable` is the environment variable (or `option <name>`) at fault. */
export class SystemConfigError extends Error {
  override readonly name = 'SystemConfigError';
  constructor(
    readonly variable: string,
    value: unknown,
    expected: string,
  ) {
    super(`${variable}=${JSON.stringify(value)} is invalid: expected ${expected}`);
  }
}

interface Field<T> {
  expected: string;
  /** Parses an environment string; undefined means malformed. */
  parse(text: string): T | undefined;
  /** Checks a value given in code. */
  accepts(value: unknown): value is T;
}

/** An absolute URL path usable as a route: starts with /, no whitespace, query or fragment. */
export const isUrlPath = (v: unknown): v is string => typeof v === 'string' && /^\/[^\s?#]*$/.test(v);
const isPort = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535;
const isEndpointList = (v: unknown): v is string[] => Array.isArray(v) && v.every((e) => typeof e === 'string' && e !== '');

const path: Field<string> = {
  expected: 'an absolute URL path such as /health (starting with /, no spaces, ? or #)',
  parse: (t) => (isUrlPath(t) ? t : undefined),
  accepts: isUrlPath,
};

const FIELDS: { [K in keyof SystemServerConfig]: Field<SystemServerConfig[K]> } = {
  enabled: {
    expected: `one of ${[...TRUE_WORDS, ...FALSE_WORDS].join(', ')} (case-insensitive)`,
    parse: (t) => (TRUE_WORDS.includes(t.toLowerCase()) ? true : FALSE_WORDS.includes(t.toLowerCase()) ? false : undefined),
    accepts: (v): v is boolean => typeof v === 'boolean',
  },
  port: {
    expected: 'an integer from 0 to 65535 (0 picks a random free port)',
    parse: (t) => (/^\d{1,5}$/.test(t) && isPort(Number(t)) ? Number(t) : undefined),
    accepts: isPort,
  },
  host: {
    expected: 'a host name or IP address to listen on, such as 0.0.0.0, 127.0.0.1 or ::',
    parse: (t) => (/^[^\s/]+$/.test(t) ? t : undefined),
    accepts: (v): v is string => typeof v === 'string' && /^[^\s/]+$/.test(v),
  },
  healthPath: path,
  livePath: path,
  startingHealthStatus: {
    expected: `one of ${HEALTH_STATUSES.join(', ')}`,
    parse: (t) => HEALTH_STATUSES.find((s) => s === t.toLowerCase()),
    accepts: (v): v is HealthStatus => HEALTH_STATUSES.includes(v as HealthStatus),
  },
  useEndpointHealthStatus: {
    expected: 'a JSON array of endpoint names, such as ["generate"]',
    parse: (t) => {
      try {
        const parsed: unknown = JSON.parse(t);
        return isEndpointList(parsed) ? parsed : undefined;
      } catch {
        return undefined;
      }
    },
    accepts: isEndpointList,
  },
};

/**
 * Reads the `DYN_SYSTEM_*` variables; `overrides` (options given in code) win over the
 * environment. An unset or empty variable means the default. Throws SystemConfigError
 * naming the variable and the accepted values on the first malformed one.
 */
export function loadSystemConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<SystemServerConfig> = {}): SystemServerConfig {
  const config = { ...SYSTEM_DEFAULTS, useEndpointHealthStatus: [...SYSTEM_DEFAULTS.useEndpointHealthStatus] } as SystemServerConfig;
  const set = config as unknown as Record<string, unknown>;
  for (const key of Object.keys(FIELDS) as Array<keyof SystemServerConfig>) {
    const field = FIELDS[key] as Field<unknown>;
    const override = overrides[key];
    if (override !== undefined) {
      if (!field.accepts(override)) throw new SystemConfigError(`option ${key}`, override, field.expected);
      set[key] = override;
      continue;
    }
    const raw = env[SYSTEM_ENV_VARS[key]];
    if (raw === undefined || raw.trim() === '') continue;
    const parsed = field.parse(raw.trim());
    if (parsed === undefined) throw new SystemConfigError(SYSTEM_ENV_VARS[key], raw, field.expected);
    set[key] = parsed;
  }
  if (config.healthPath === config.livePath) {
    throw new SystemConfigError(SYSTEM_ENV_VARS.livePath, config.livePath, `a path different from the health path (${config.healthPath})`);
  }
  return config;
}
