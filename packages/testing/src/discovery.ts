/**
 * Discovery documents (`/api`, `/api/v1`, `/apis`, `/apis/{group}`, `/apis/{group}/{version}`),
 * enough for KubernetesObjectApi and kubectl-style clients to map kinds to paths.
 */
import { resolveResource, type ResolvedResource, type ResourceRegistry } from './resources.js';
import { REVIEW_RESOURCES } from './reviews.js';

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface Served {
  resource: ResolvedResource;
  version: string;
  verbs: string[];
}

function servedResources(registry: ResourceRegistry): Served[] {
  const served: Served[] = [];
  for (const { resource, version } of registry.served()) served.push({ resource, version, verbs: ALL_VERBS });
  for (const def of REVIEW_RESOURCES) served.push({ resource: resolveResource(def), version: def.version, verbs: ['create'] });
  return served;
}

function groupVersionString(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** `/api`: the core group's versions. */
export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(name: string, versions: string[]): Record<string, unknown> {
  const entries = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: entries, preferredVersion: entries[0] };
}

function groupVersions(registry: ResourceRegistry): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const { resource, version } of servedResources(registry)) {
    if (!resource.group) continue;
    const versions = groups.get(resource.group) ?? [];
    if (!versions.includes(version)) versions.push(version);
    groups.set(resource.group, versions);
  }
  return groups;
}

/** `/apis`: every named group. */
export function apiGroupList(registry: ResourceRegistry): Record<string, unknown> {
  const groups = [...groupVersions(registry)].map(([name, versions]) => groupEntry(name, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** `/apis/{group}`, or undefined when the group is not served. */
export function apiGroup(registry: ResourceRegistry, group: string): Record<string, unknown> | undefined {
  const versions = groupVersions(registry).get(group);
  if (!versions) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group, versions) };
}

/** `/api/v1` or `/apis/{group}/{version}`, or undefined when nothing is served there. */
export function apiResourceList(registry: ResourceRegistry, group: string, version: string): Record<string, unknown> | undefined {
  const resources: Record<string, unknown>[] = [];
  for (const s of servedResources(registry)) {
    if (s.resource.group !== group || s.version !== version) continue;
    const r = s.resource;
    const entry: Record<string, unknown> = {
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: s.verbs,
    };
    if (r.shortNames.length > 0) entry.shortNames = r.shortNames;
    resources.push(entry);
    if (r.statusSubresource && s.verbs === ALL_VERBS) {
      resources.push({ name: `${r.plural}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] });
    }
  }
  if (resources.length === 0) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersionString(group, version), resources };
}
