/**
 * Protects a metrics endpoint the way controller-runtime's `filters.WithAuthenticationAndAuthorization`
 * does: the bearer token is checked with a TokenReview, then the user's right to `get` the
 * non-resource URL (`/metrics`) with a SubjectAccessReview. Answers are cached (token 1 min,
 * allow 5 min, deny 30 s, as controller-runtime's delegating authenticator/authorizer), and
 * concurrent requests with one token share one review. Failed review calls are not cached.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AuthenticationV1Api, AuthorizationV1Api, type KubeConfig, type V1SubjectAccessReview, type V1TokenReview } from '@kubernetes/client-node';
import { bearerTokenOf, type AuthDecision, type Authorizer } from 'promkit/server';
import { TtlCache } from './ttl-cache.js';

export type { AuthDecision, Authorizer };

/** The two review calls, as client-node's generated APIs (1.x object-parameter style) make them. */
export interface ReviewClients {
  createTokenReview(param: { body: V1TokenReview }): Promise<V1TokenReview>;
  createSubjectAccessReview(param: { body: V1SubjectAccessReview }): Promise<V1SubjectAccessReview>;
}

export interface KubernetesAuthorizerOptions {
  /** Where the review APIs live (normally the in-cluster config). */
  kubeConfig?: KubeConfig;
  /** Or the review calls themselves. */
  clients?: ReviewClients;
  /** The non-resource URL to authorize (default: the request's path). */
  path?: string;
  /** The verb to authorize (default: the request method lowercased, HEAD as `get`). */
  verb?: string;
  /** Audiences the token must be valid for (TokenReview `spec.audiences`); default: the API server's. */
  audiences?: string[];
  tokenCacheTtlMs?: number;
  allowCacheTtlMs?: number;
  denyCacheTtlMs?: number;
  /** Entries per cache (default 1024). */
  maxCacheEntries?: number;
  /** Clock for cache expiry (tests). */
  now?: () => number;
}

interface Identity {
  authenticated: boolean;
  error?: string;
  user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
}

interface Access {
  allowed: boolean;
  reason?: string;
}

export interface KubernetesAuthorizer extends Authorizer {
  /** Drops every cached answer. */
  clearCache(): void;
}

function clientsFrom(options: KubernetesAuthorizerOptions): ReviewClients {
  if (options.clients) return options.clients;
  if (!options.kubeConfig) throw new TypeError('kubernetesAuthorizer: give kubeConfig (e.g. loadFromCluster()) or clients');
  const authn = options.kubeConfig.makeApiClient(AuthenticationV1Api);
  const authz = options.kubeConfig.makeApiClient(AuthorizationV1Api);
  return {
    createTokenReview: (param) => authn.createTokenReview(param),
    createSubjectAccessReview: (param) => authz.createSubjectAccessReview(param),
  };
}

function describe(error: unknown): string {
  if (error !== null && typeof error === 'object' && 'code' in error && typeof (error as { code: unknown }).code === 'number') {
    return `HTTP ${(error as { code: number }).code}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** An `Authorizer` for the metrics server backed by TokenReview and SubjectAccessReview. */
export function kubernetesAuthorizer(options: KubernetesAuthorizerOptions): KubernetesAuthorizer {
  const clients = clientsFrom(options);
  const max = options.maxCacheEntries ?? 1024;
  const tokenTtl = options.tokenCacheTtlMs ?? 60_000;
  const allowTtl = options.allowCacheTtlMs ?? 300_000;
  const denyTtl = options.denyCacheTtlMs ?? 30_000;
  const identities = new TtlCache<Identity>(max, options.now);
  const decisions = new TtlCache<Access>(max, options.now);

  const authenticate = (token: string): Promise<Identity> => {
    const key = createHash('sha256').update(token).digest('hex');
    return identities.getOrLoad(
      key,
      async () => {
        const review = await clients.createTokenReview({
          body: {
            apiVersion: 'authentication.k8s.io/v1',
            kind: 'TokenReview',
            spec: { token, ...(options.audiences ? { audiences: options.audiences } : {}) },
          },
        });
        const status = review.status ?? {};
        const identity: Identity = { authenticated: status.authenticated === true };
        if (status.error) identity.error = status.error;
        if (status.user) identity.user = status.user;
        return identity;
      },
      () => tokenTtl,
    );
  };

  const authorize = (identity: Identity, path: string, verb: string): Promise<Access> => {
    const user = identity.user ?? {};
    const key = JSON.stringify([user.username, user.uid, [...(user.groups ?? [])].sort(), user.extra ?? {}, path, verb]);
    return decisions.getOrLoad(
      key,
      async () => {
        const review = await clients.createSubjectAccessReview({
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SubjectAccessReview',
            spec: {
              ...(user.username !== undefined ? { user: user.username } : {}),
              ...(user.uid !== undefined ? { uid: user.uid } : {}),
              ...(user.groups ? { groups: user.groups } : {}),
              ...(user.extra ? { extra: user.extra } : {}),
              nonResourceAttributes: { path, verb },
            },
          },
        });
        const status = review.status;
        return { allowed: status?.allowed === true && status.denied !== true, ...(status?.reason ? { reason: status.reason } : {}) };
      },
      (access) => (access.allowed ? allowTtl : denyTtl),
    );
  };

  const authorizer = async (req: IncomingMessage): Promise<AuthDecision> => {
    const token = bearerTokenOf(req);
    if (token === undefined) return { allowed: false, status: 401, reason: 'missing bearer token (Authorization: Bearer <token>)' };
    let identity: Identity;
    try {
      identity = await authenticate(token);
    } catch (error) {
      return { allowed: false, status: 401, reason: `token review failed: ${describe(error)}` };
    }
    if (!identity.authenticated) {
      return { allowed: false, status: 401, reason: `invalid bearer token${identity.error ? `: ${identity.error}` : ''}` };
    }
    const path = options.path ?? new URL(req.url ?? '/', 'http://x').pathname;
    const method = (req.method ?? 'GET').toLowerCase();
    const verb = options.verb ?? (method === 'head' ? 'get' : method);
    let access: Access;
    try {
      access = await authorize(identity, path, verb);
    } catch (error) {
      return { allowed: false, status: 403, reason: `subject access review failed: ${describe(error)}` };
    }
    if (!access.allowed) {
      const who = identity.user?.username ?? 'unknown user';
      return { allowed: false, status: 403, reason: `${who} may not ${verb} ${path}${access.reason ? `: ${access.reason}` : ''}` };
    }
    return { allowed: true };
  };
  return Object.assign(authorizer, {
    clearCache: () => {
      identities.clear();
      decisions.clear();
    },
  });
}
