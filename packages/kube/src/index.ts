/**
 * promkit/kube: the operator kit for @kubernetes/client-node operators — reconcile,
 * admission webhook and inventory metrics, the Kubernetes error taxonomy, a
 * TokenReview/SubjectAccessReview authorizer for the metrics endpoint, and DataMover/Modal
 * workflow helpers. See docs/operator-kit.md.
 */
export { createOperatorMetrics, type OperatorMetrics, type OperatorMetricsOptions, type InventoryOptions } from './operator-metrics.js';
export {
  DEFAULT_OPERATOR_PREFIX,
  WEBHOOK_INVALID_REASONS,
  operatorSpecs,
  operatorKitSpecs,
  type OperatorSpecs,
  type OperatorHandles,
  type InventoryHandles,
  type WebhookExtraHandles,
  type WebhookInvalidReason,
} from './operator-catalog.js';
export { ERROR_TYPES, classifyError, isErrorType, statusFactsOf, type ErrorType, type StatusFacts } from './error-taxonomy.js';
export {
  instrumentReconcile,
  recordReconcile,
  outcomeOfResult,
  namespaceOfTarget,
  nameOfTarget,
  type ReconcileResult,
  type ReconcileOutcome,
  type ReconcileRecord,
  type InstrumentReconcileOptions,
} from './reconcile.js';
export {
  InventoryTracker,
  type InformerLike,
  type InventorySource,
  type InventorySettings,
  type TrackInventoryOptions,
  type InventoryCount,
} from './inventory/tracker.js';
export {
  DYNAMO_STATUS_EXTRACTORS,
  DGD_STATES,
  DGDR_STATES,
  UNKNOWN_STATUS,
  conditionExtractor,
  dynamoStatusOf,
  stateExtractor,
  type StatusExtractor,
} from './inventory/dynamo-status.js';
export type { BackoffOptions } from './inventory/backoff.js';
export {
  ADMISSION_API_VERSION,
  admissionResponse,
  parseAdmissionReview,
  type AdmissionOperation,
  type AdmissionRequest,
  type AdmissionResponse,
  type AdmissionReviewResponse,
  type AdmissionStatus,
  type GroupVersionKind,
  type GroupVersionResource,
  type ParsedReview,
} from './webhook/admission-review.js';
export {
  allow,
  deny,
  createAdmissionHandler,
  VALIDATOR_ERROR_REASON,
  OTHER_KIND_LABEL,
  VALIDATOR_TIMEOUT_REASON,
  type AdmissionHandlerOptions,
  type ValidationResult,
  type Validator,
  type ValidatorsByKind,
} from './webhook/validators.js';
export {
  createAdmissionWebhook,
  DEFAULT_MAX_BODY_BYTES,
  type AdmissionWebhook,
  type AdmissionWebhookOptions,
  type WebhookRequestEvent,
  type WebhookTls,
} from './webhook/server.js';
export { kubernetesAuthorizer, type KubernetesAuthorizer, type KubernetesAuthorizerOptions, type ReviewClients } from './authorizer.js';
export { createDataMoverMetrics, type DataMoverMetrics, type DataMoverPhase, type Outcome, type PhaseEnd } from './datamover.js';
export { createModalMetrics, type ModalMetrics, type ModalMetricsOptions, type JobSpec, type TrackedJob, type ModalHandles } from './modal.js';
export {
  ADMISSION_SPAN,
  RECONCILE_SPAN,
  admissionAttributes,
  reconcileAttributes,
  setAdmissionOutcome,
  setReconcileOutcome,
  withReconcileSpan,
  type AdmissionTarget,
  type ReconcileTarget,
} from './spans.js';
