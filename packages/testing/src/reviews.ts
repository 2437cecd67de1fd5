/**
 * TokenReview and SubjectAccessReview: the create-only review APIs an operator's metrics
 * endpoint calls to authenticate and authorize scrapers. The test decides the answers.
 */
import type { ResourceDefinition } from './resources.js';
import { badRequest } from './status.js';

/** `TokenReview.spec` (authentication.k8s.io/v1). */
export interface TokenReviewSpec {
  token?: string;
  audiences?: string[];
}

/** Who a token belongs to. */
export interface UserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

/** `TokenReview.status`. */
export interface TokenReviewStatus {
  authenticated?: boolean;
  user?: UserInfo;
  audiences?: string[];
  error?: string;
}

/** `SubjectAccessReview.spec` (authorization.k8s.io/v1). */
export interface SubjectAccessReviewSpec {
  user?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
  resourceAttributes?: {
    namespace?: string;
    verb?: string;
    group?: string;
    version?: string;
    resource?: string;
    subresource?: string;
    name?: string;
  };
  nonResourceAttributes?: { path?: string; verb?: string };
}

/** `SubjectAccessReview.status`. */
export interface SubjectAccessReviewStatus {
  allowed: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

/** Decides a TokenReview; may be async. */
export type TokenReviewHandler = (spec: TokenReviewSpec) => TokenReviewStatus | Promise<TokenReviewStatus>;

/** Decides a (Local)SubjectAccessReview; may be async. */
export type SubjectAccessReviewHandler = (spec: SubjectAccessReviewSpec) => SubjectAccessReviewStatus | Promise<SubjectAccessReviewStatus>;

/** The review resources, served for discovery; they are create-only and never stored. */
export const REVIEW_RESOURCES: readonly ResourceDefinition[] = [
  { group: 'authentication.k8s.io', version: 'v1', plural: 'tokenreviews', kind: 'TokenReview', namespaced: false },
  { group: 'authorization.k8s.io', version: 'v1', plural: 'subjectaccessreviews', kind: 'SubjectAccessReview', namespaced: false },
  { group: 'authorization.k8s.io', version: 'v1', plural: 'localsubjectaccessreviews', kind: 'LocalSubjectAccessReview', namespaced: true },
];

export function isReviewResource(group: string, plural: string): boolean {
  return REVIEW_RESOURCES.some((r) => r.group === group && r.plural === plural);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Holds the test's review handlers and answers review POSTs. */
export class ReviewDesk {
  tokenReview: TokenReviewHandler | undefined;
  subjectAccessReview: SubjectAccessReviewHandler | undefined;

  /** Answers a review create; `namespace` is set for LocalSubjectAccessReview. */
  async review(plural: string, body: unknown, namespace: string | undefined): Promise<Record<string, unknown>> {
    if (!isObject(body) || !isObject(body.spec)) throw badRequest(`${plural}: the request body needs a 'spec' object`);
    const metadata = isObject(body.metadata) ? body.metadata : {};
    if (plural === 'tokenreviews') {
      const spec = body.spec as TokenReviewSpec;
      const status: TokenReviewStatus = this.tokenReview
        ? await this.tokenReview(structuredClone(spec))
        : { authenticated: false, error: 'LocalApiServer: no TokenReview handler set (use onTokenReview)' };
      return { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', metadata, spec, status };
    }
    const spec = structuredClone(body.spec) as SubjectAccessReviewSpec;
    if (namespace !== undefined) {
      const attrs = spec.resourceAttributes;
      if (attrs?.namespace !== undefined && attrs.namespace !== '' && attrs.namespace !== namespace) {
        throw badRequest(`spec.resourceAttributes.namespace: Invalid value: "${attrs.namespace}": must match metadata.namespace "${namespace}"`);
      }
      spec.resourceAttributes = { ...attrs, namespace };
    }
    const status: SubjectAccessReviewStatus = this.subjectAccessReview
      ? await this.subjectAccessReview(structuredClone(spec))
      : { allowed: false, reason: 'LocalApiServer: no SubjectAccessReview handler set (use onSubjectAccessReview)' };
    const kind = namespace === undefined ? 'SubjectAccessReview' : 'LocalSubjectAccessReview';
    return {
      kind,
      apiVersion: 'authorization.k8s.io/v1',
      metadata: namespace === undefined ? metadata : { ...metadata, namespace },
      spec,
      status,
    };
  }
}
