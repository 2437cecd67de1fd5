/**
 * DynamoModel: downloads the model (simulated: a few seconds that depend on the model
 * name) and reports the Ready condition: False/Downloading, then True/ModelReady, or
 * False/DownloadFailed when the source refuses access.
 */
import { condition, secondsSince, sameJson, withCondition } from './conditions.js';
import type { Reconciler } from './controller.js';
import type { DynamoContext } from './dynamo-context.js';

/** A stable 32-bit hash (FNV-1a), so a model takes the same time to download on every run. */
export function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** 1.5 to 4 s, by model name. */
function downloadSeconds(modelName: string): number {
  return 1.5 + (hashOf(modelName) % 250) / 100;
}

/** Sources the simulated registry refuses (gated models without a token). */
function isRefused(source: string): boolean {
  return /gated|private/.test(source);
}

export function dmReconciler(ctx: DynamoContext): Reconciler {
  return async ({ namespace, name }) => {
    const dm = ctx.informers.dm.get(name, namespace);
    if (!dm || dm.metadata.deletionTimestamp) return;
    const ready = condition(dm.status?.conditions, 'Ready');
    if (ready?.reason === 'ModelReady' || ready?.reason === 'DownloadFailed') return;
    const startedAt = dm.status?.downloadStartedAt ?? new Date().toISOString();
    const elapsed = secondsSince(dm.status?.downloadStartedAt);
    let next: ReturnType<typeof withCondition>;
    if (isRefused(dm.spec.source) && elapsed >= 1) {
      next = withCondition(dm.status?.conditions, 'Ready', 'False', 'DownloadFailed', `403 from ${dm.spec.source}: the model is gated; add an access token`);
    } else if (elapsed >= downloadSeconds(dm.spec.modelName)) {
      next = withCondition(dm.status?.conditions, 'Ready', 'True', 'ModelReady', `${dm.spec.modelName} downloaded from ${dm.spec.source}`);
    } else {
      next = withCondition(dm.status?.conditions, 'Ready', 'False', 'Downloading', `downloading ${dm.spec.modelName}`);
    }
    const status = { conditions: next, downloadStartedAt: startedAt };
    if (!sameJson(dm.status, status)) await ctx.clients.dm.replaceStatus({ ...dm, status });
    return next.some((c) => c.type === 'Ready' && c.reason === 'Downloading') ? { requeueAfter: 1_000 } : undefined;
  };
}
