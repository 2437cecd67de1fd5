/** Status conditions as Kubernetes controllers keep them: one per type, transition time kept while the status holds. */
import type { Condition } from '../crds.js';

export function condition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** `conditions` with `type` set; unchanged (same array) when status, reason and message already match. */
export function withCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
  status: Condition['status'],
  reason: string,
  message: string,
): Condition[] {
  const current = condition(conditions, type);
  if (current && current.status === status && current.reason === reason && current.message === message) return [...(conditions ?? [])];
  const next: Condition = {
    type,
    status,
    reason,
    message,
    lastTransitionTime: current && current.status === status ? current.lastTransitionTime : new Date().toISOString(),
  };
  return [...(conditions ?? []).filter((c) => c.type !== type), next];
}

export function isReady(conditions: readonly Condition[] | undefined): boolean {
  return condition(conditions, 'Ready')?.status === 'True';
}

/** Seconds since an ISO timestamp (0 when absent or unreadable). */
export function secondsSince(iso: string | undefined, now = Date.now()): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? Math.max(0, (now - t) / 1000) : 0;
}

/** Deep equality for plain JSON values (status comparisons before a write). */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
