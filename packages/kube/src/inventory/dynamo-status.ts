/**
 * The `status` label of `dynamo_operator_resources_total` for each Dynamo CRD, as
 * dynamo-operator-metrics.md defines it. Each extractor returns one of the spec's values
 * and 'unknown' for anything it cannot read, so the label stays bounded.
 */

export type StatusExtractor = (obj: unknown) => string;

export const UNKNOWN_STATUS = 'unknown';

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function statusField(obj: unknown, field: string): unknown {
  if (!isRecord(obj) || !isRecord(obj.status)) return undefined;
  return obj.status[field];
}

/** `.status.state` matched case-insensitively against `allowed`, answered in the spec's spelling. */
export function stateExtractor(allowed: readonly string[]): StatusExtractor {
  const byLower = new Map(allowed.map((s) => [s.toLowerCase(), s]));
  return (obj) => {
    const state = statusField(obj, 'state');
    if (typeof state !== 'string') return UNKNOWN_STATUS;
    return byLower.get(state.trim().toLowerCase()) ?? UNKNOWN_STATUS;
  };
}

/**
 * `ready` when the condition of `type` (default `Ready`) is `True`, `not_ready` when it is
 * present otherwise (False, Unknown), `unknown` when there is no such condition.
 */
export function conditionExtractor(type: string = 'Ready'): StatusExtractor {
  return (obj) => {
    const conditions = statusField(obj, 'conditions');
    if (!Array.isArray(conditions)) return UNKNOWN_STATUS;
    const condition = conditions.find((c): c is Record<string, unknown> => isRecord(c) && c.type === type);
    if (!condition) return UNKNOWN_STATUS;
    return condition.status === 'True' ? 'ready' : 'not_ready';
  };
}

export const DGD_STATES = ['pending', 'successful', 'failed'] as const;
export const DGDR_STATES = ['Pending', 'Profiling', 'Deploying', 'Ready', 'DeploymentDeleted', 'Failed'] as const;

/** Extractors for the five Dynamo kinds, keyed by kind. */
export const DYNAMO_STATUS_EXTRACTORS: Readonly<Record<string, StatusExtractor>> = {
  DynamoGraphDeployment: stateExtractor(DGD_STATES),
  DynamoGraphDeploymentRequest: stateExtractor(DGDR_STATES),
  DynamoComponentDeployment: conditionExtractor('Ready'),
  DynamoModel: conditionExtractor('Ready'),
  DynamoGraphDeploymentScalingAdapter: conditionExtractor('Ready'),
};

/** The extractor of a Dynamo kind; other kinds get the `Ready`-condition extractor. */
export function dynamoStatusOf(kind: string): StatusExtractor {
  return DYNAMO_STATUS_EXTRACTORS[kind] ?? conditionExtractor('Ready');
}
