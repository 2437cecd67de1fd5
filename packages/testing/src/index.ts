export { LocalApiServer, type LocalApiServerOptions, type ObjectRef } from './local-api-server.js';
export { BUILTIN_RESOURCES, apiVersionOf, type ResolvedResource, type ResourceDefinition } from './resources.js';
export type { ChangeType, DeleteResult, KubeObject, ObjectMeta, UpdateOptions } from './store.js';
export { ApiError, REASON_BY_CODE, failureStatus, successStatus, type KubeStatus, type StatusDetails } from './status.js';
export type { ApiVerb, FailureHandle, FailureSpec, RequestMatch } from './failures.js';
export { RequestLog, type RequestFilter, type RequestRecord } from './request-log.js';
export type {
  SubjectAccessReviewHandler,
  SubjectAccessReviewSpec,
  SubjectAccessReviewStatus,
  TokenReviewHandler,
  TokenReviewSpec,
  TokenReviewStatus,
  UserInfo,
} from './reviews.js';
export type { WatchEvent, WatchEventType } from './watch-hub.js';
export { PATCH_TYPES, applyPatch, jsonPatch, mergePatch, type JsonPatchOperation, type PatchType } from './patch.js';
export { parseFieldSelector, parseLabelSelector, type FieldSelector, type LabelSelector } from './selectors.js';
export { buildKubeConfig, kubeconfigYaml, type KubeconfigOptions } from './kubeconfig.js';
export * from './prometheus.js';
export * from './promtool.js';
export * from './free-port.js';
