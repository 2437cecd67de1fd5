/**
 * The validating webhooks' rules. Dynamo denials use the spec's two reasons,
 * `immutable_field_changed` and `invalid_config`, so `dynamo_operator_webhook_denials_total`
 * keeps a bounded `reason` label. DELETE has no validator and is allowed.
 */
import { allow, deny, type AdmissionRequest, type ValidationResult, type Validator, type ValidatorsByKind } from '@promkit/kube';
import type {
  DynamoComponentDeployment,
  DynamoGraphDeployment,
  DynamoGraphDeploymentRequest,
  DynamoGraphDeploymentScalingAdapter,
  DynamoModel,
  ModalJob,
} from './crds.js';

export const COMPONENT_TYPES = ['frontend', 'worker', 'prefill', 'planner'] as const;
export const MODAL_GPU_TYPES = ['T4', 'L4', 'A10G', 'A100', 'H100'] as const;
export const MAX_REPLICAS = 16;

const immutable = (field: string, before: unknown, after: unknown): ValidationResult | undefined =>
  JSON.stringify(before) === JSON.stringify(after)
    ? undefined
    : deny('immutable_field_changed', `${field} is immutable: was ${JSON.stringify(before)}, got ${JSON.stringify(after)}`);

const invalid = (message: string): ValidationResult => deny('invalid_config', message);

function replicasProblem(field: string, replicas: unknown): ValidationResult | undefined {
  return Number.isInteger(replicas) && (replicas as number) >= 0 && (replicas as number) <= MAX_REPLICAS
    ? undefined
    : invalid(`${field} must be an integer from 0 to ${MAX_REPLICAS}, got ${JSON.stringify(replicas)}`);
}

/** Runs the checks in order: the first denial wins; none allows. */
function validator<T>(check: (object: T, old: T | null, request: AdmissionRequest<T>) => Array<ValidationResult | undefined>): Validator<T> {
  return (request) => {
    if (!request.object) return allow();
    return check(request.object, request.oldObject ?? null, request).find((r) => r !== undefined) ?? allow();
  };
}

const graphDeployment = validator<DynamoGraphDeployment>((dgd, old) => {
  const services = Object.entries(dgd.spec?.services ?? {});
  return [
    old ? immutable('spec.backendFramework', old.spec.backendFramework, dgd.spec.backendFramework) : undefined,
    services.length === 0 ? invalid('spec.services must name at least one service') : undefined,
    ...services.flatMap(([name, s]) => [
      (COMPONENT_TYPES as readonly string[]).includes(s.componentType)
        ? undefined
        : invalid(`spec.services.${name}.componentType must be one of ${COMPONENT_TYPES.join(', ')}, got ${JSON.stringify(s.componentType)}`),
      replicasProblem(`spec.services.${name}.replicas`, s.replicas),
      typeof s.image === 'string' && s.image !== '' ? undefined : invalid(`spec.services.${name}.image is required`),
    ]),
  ];
});

const componentDeployment = validator<DynamoComponentDeployment>((dcd, old) => [
  old ? immutable('spec.componentType', old.spec.componentType, dcd.spec.componentType) : undefined,
  replicasProblem('spec.replicas', dcd.spec.replicas),
]);

const model = validator<DynamoModel>((dm, old) => [
  old ? immutable('spec.modelName', old.spec.modelName, dm.spec.modelName) : undefined,
  /^(hf|s3|pvc):\/\/\S+$/.test(dm.spec.source ?? '')
    ? undefined
    : invalid(`spec.source must be an hf://, s3:// or pvc:// URL, got ${JSON.stringify(dm.spec.source)}`),
]);

const graphRequest = validator<DynamoGraphDeploymentRequest>((r, old) => [
  old ? immutable('spec.model', old.spec.model, r.spec.model) : undefined,
  r.spec.sla?.ttftMs > 0 && r.spec.sla?.itlMs > 0 ? undefined : invalid('spec.sla.ttftMs and spec.sla.itlMs must be positive'),
]);

const scalingAdapter = validator<DynamoGraphDeploymentScalingAdapter>((a, old) => [
  old ? immutable('spec.dgdRef', old.spec.dgdRef, a.spec.dgdRef) : undefined,
  a.spec.dgdRef?.name && a.spec.dgdRef?.serviceName ? undefined : invalid('spec.dgdRef needs name and serviceName'),
  replicasProblem('spec.replicas', a.spec.replicas),
]);

export const dynamoValidators: ValidatorsByKind = {
  DynamoGraphDeployment: { CREATE: graphDeployment, UPDATE: graphDeployment },
  DynamoComponentDeployment: { CREATE: componentDeployment, UPDATE: componentDeployment },
  DynamoModel: { CREATE: model, UPDATE: model },
  DynamoGraphDeploymentRequest: { CREATE: graphRequest, UPDATE: graphRequest },
  DynamoGraphDeploymentScalingAdapter: { CREATE: scalingAdapter, UPDATE: scalingAdapter },
};

const modalJob = validator<ModalJob>((job) => [
  (MODAL_GPU_TYPES as readonly string[]).includes(job.spec.gpuType)
    ? undefined
    : deny('invalid_gpu_type', `spec.gpuType must be one of ${MODAL_GPU_TYPES.join(', ')}, got ${JSON.stringify(job.spec.gpuType)}`),
  Number.isInteger(job.spec.replicas) && job.spec.replicas >= 1 && job.spec.replicas <= 8
    ? undefined
    : deny('invalid_replicas', `spec.replicas must be an integer from 1 to 8, got ${JSON.stringify(job.spec.replicas)}`),
]);

export const modalValidators: ValidatorsByKind = { ModalJob: { CREATE: modalJob, UPDATE: modalJob } };
