/**
 * Turns a request path into what it addresses, following the API server's RequestInfo
 * rules (`/api/v1/...`, `/apis/{group}/{version}/...`, legacy `/watch/` prefix, namespace
 * subresources).
 */

/** A discovery or health endpoint. */
export interface DiscoveryRoute {
  kind: 'discovery';
  target: 'api' | 'apis' | 'group' | 'groupVersion' | 'version' | 'health' | 'root';
  group?: string;
  version?: string;
}

/** A path addressing a resource collection, object or subresource. */
export interface ResourceRoute {
  kind: 'resource';
  group: string;
  version: string;
  plural: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The deprecated `/watch/` path prefix was used. */
  watchPrefix: boolean;
}

export interface UnknownRoute {
  kind: 'unknown';
}

export type Route = DiscoveryRoute | ResourceRoute | UnknownRoute;

/** Subresources of a namespace, which must not be mistaken for a resource inside it. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export function parsePath(pathname: string): Route {
  const raw = pathname.split('/').filter((s) => s !== '');
  const parts: string[] = [];
  for (const r of raw) {
    const d = decode(r);
    if (d === undefined) return { kind: 'unknown' };
    parts.push(d);
  }
  if (parts.length === 0) return { kind: 'discovery', target: 'root' };
  const [head] = parts;
  if (parts.length === 1 && (head === 'healthz' || head === 'readyz' || head === 'livez')) {
    return { kind: 'discovery', target: 'health' };
  }
  if (parts.length === 1 && head === 'version') return { kind: 'discovery', target: 'version' };

  let group: string;
  let version: string;
  let rest: string[];
  if (head === 'api') {
    if (parts.length === 1) return { kind: 'discovery', target: 'api' };
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (head === 'apis') {
    if (parts.length === 1) return { kind: 'discovery', target: 'apis' };
    if (parts.length === 2) return { kind: 'discovery', target: 'group', group: parts[1]! };
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return { kind: 'unknown' };
  }
  if (rest.length === 0) return { kind: 'discovery', target: 'groupVersion', group, version };

  let watchPrefix = false;
  if (rest[0] === 'watch') {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2]!)) {
    namespace = rest[1]!;
    rest = rest.slice(2);
  }
  if (rest.length === 0 || rest.length > 3) return { kind: 'unknown' };
  const route: ResourceRoute = { kind: 'resource', group, version, plural: rest[0]!, watchPrefix };
  if (namespace !== undefined) route.namespace = namespace;
  if (rest[1] !== undefined) route.name = rest[1];
  if (rest[2] !== undefined) route.subresource = rest[2];
  return route;
}
