import { validateLabelName, validateMetricName } from '../core/validation.js';

/** Label names the runtime adds for each level below the runtime itself. */
export interface AutoLabelNames {
  namespace: string;
  component: string;
  endpoint: string;
}

/**
 * 'plain': namespace, component, endpoint (the spec's output). 'prefixed': the runtime
 * prefix in front (dynamo_namespace, ...), for clusters where Prometheus already attaches a
 * `namespace` target label. Or name each one.
 */
export type AutoLabelOption = 'plain' | 'prefixed' | Partial<AutoLabelNames>;

export const DEFAULT_PREFIX = 'dynamo';

export function resolvePrefix(prefix: unknown): string {
  if (prefix === undefined) return DEFAULT_PREFIX;
  if (prefix === '') return '';
  if (typeof prefix !== 'string' || !validateMetricName(prefix)) {
    throw new TypeError(`DistributedRuntime: prefix must be '' or a metric name prefix matching [a-zA-Z_:][a-zA-Z0-9_:]*, got ${JSON.stringify(prefix)}`);
  }
  return prefix;
}

export function resolveAutoLabelNames(option: AutoLabelOption | undefined, prefix: string): AutoLabelNames {
  const plain: AutoLabelNames = { namespace: 'namespace', component: 'component', endpoint: 'endpoint' };
  if (option === undefined || option === 'plain') return plain;
  let names: AutoLabelNames;
  if (option === 'prefixed') {
    if (prefix === '') throw new TypeError("DistributedRuntime: autoLabelNames 'prefixed' needs a non-empty prefix");
    names = { namespace: `${prefix}_namespace`, component: `${prefix}_component`, endpoint: `${prefix}_endpoint` };
  } else if (option !== null && typeof option === 'object') {
    names = { ...plain, ...option };
  } else {
    throw new TypeError(
      `DistributedRuntime: autoLabelNames must be 'plain', 'prefixed' or an object {namespace?, component?, endpoint?}, got ${JSON.stringify(option)}`,
    );
  }
  for (const [level, name] of Object.entries(names)) {
    if (!validateLabelName(name))
      throw new TypeError(
        `DistributedRuntime: auto label name for the ${level} level must match [a-zA-Z_][a-zA-Z0-9_]* and not start with __, got ${JSON.stringify(name)}`,
      );
  }
  if (new Set(Object.values(names)).size !== 3) throw new TypeError(`DistributedRuntime: auto label names must be distinct, got ${JSON.stringify(names)}`);
  return names;
}

/** The exposed name: `<prefix>_<name>` (or the name alone with an empty prefix). */
export function fullMetricName(prefix: string, name: unknown): string {
  if (typeof name !== 'string' || name === '') throw new TypeError('metric name is required and must be a non-empty string');
  const full = prefix === '' ? name : `${prefix}_${name}`;
  if (!validateMetricName(full)) throw new TypeError(`invalid metric name '${name}': names must match [a-zA-Z_:][a-zA-Z0-9_:]*`);
  return full;
}

/** Scope names become label values: any non-empty, well-formed string. */
export function assertScopeName(level: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '' || !name.isWellFormed()) {
    throw new TypeError(`${level} name must be a non-empty string, got ${typeof name === 'string' ? JSON.stringify(name) : typeof name}`);
  }
}
