/**
 * DynamoGraphDeploymentRequest: an SLA-driven request for a graph. `.status.state` walks
 * Pending (queued for one of the profiler's slots) → Profiling (a simulated sweep of
 * configurations) → Deploying (it creates the
 * DynamoGraphDeployment it chose) → Ready once that graph is successful; Failed when no
 * configuration meets the SLA or the graph fails; DeploymentDeleted when the graph it
 * deployed is deleted.
 */
import { apiVersionOf, DGD, DGDR, type DgdrState, type DynamoGraphDeployment, type DynamoGraphDeploymentRequest } from '../crds.js';
import { secondsSince, sameJson } from './conditions.js';
import type { Reconciler } from './controller.js';
import { MANAGED_BY, ownerReference } from './ownership.js';
import type { DynamoContext } from './dynamo-context.js';

const PROFILING_SECONDS = 2;
/** Profiling runs on GPUs: at most this many requests profile at once; the rest wait Pending. */
const PROFILING_SLOTS = 2;
/** The profiler picks up queued requests once a second. */
const PICKUP_SECONDS = 1;
/** Below this time-to-first-token no configuration of the simulated sweep qualifies. */
const MIN_TTFT_MS = 50;

function chosenGraph(request: DynamoGraphDeploymentRequest): DynamoGraphDeployment {
  const image = `nvcr.io/nvidia/ai-dynamo/${request.spec.backend}-runtime:0.6.0`;
  const workers = request.spec.sla.ttftMs < 200 ? 2 : 1;
  return {
    apiVersion: apiVersionOf(DGD),
    kind: DGD.kind,
    metadata: {
      name: `${request.metadata.name}-graph`,
      namespace: request.metadata.namespace,
      labels: { ...MANAGED_BY, 'nvidia.com/dgdr': request.metadata.name },
      ownerReferences: [ownerReference(request, DGDR)],
    },
    spec: {
      backendFramework: request.spec.backend,
      services: {
        Frontend: { componentType: 'frontend', replicas: 1, image },
        Worker: { componentType: 'worker', replicas: workers, image },
      },
    },
  };
}

export function dgdrReconciler(ctx: DynamoContext): Reconciler {
  return async ({ namespace, name }) => {
    const request = ctx.informers.dgdr.get(name, namespace);
    if (!request || request.metadata.deletionTimestamp) return;
    const status = request.status ?? {};
    const write = async (state: DgdrState, extra: Partial<NonNullable<DynamoGraphDeploymentRequest['status']>> = {}) => {
      const next = { ...status, state, ...extra };
      if (!sameJson(status, next)) await ctx.clients.dgdr.replaceStatus({ ...request, status: next });
    };
    switch (status.state) {
      case undefined:
        await write('Pending', { message: 'queued for profiling' });
        return { requeueAfter: 300 };
      case 'Pending': {
        const profiling = ctx.informers.dgdr.list().filter((r) => r.status?.state === 'Profiling').length;
        if (secondsSince(request.metadata.creationTimestamp) < PICKUP_SECONDS || profiling >= PROFILING_SLOTS) return { requeueAfter: 500 };
        await write('Profiling', { profilingStartedAt: new Date().toISOString(), message: 'sweeping tensor-parallel and batch configurations' });
        return { requeueAfter: 1_000 };
      }
      case 'Profiling': {
        if (secondsSince(status.profilingStartedAt) < PROFILING_SECONDS) return { requeueAfter: 500 };
        if (request.spec.sla.ttftMs < MIN_TTFT_MS) {
          await write('Failed', { message: `no configuration reaches TTFT ${request.spec.sla.ttftMs} ms (best: ${MIN_TTFT_MS} ms)` });
          return;
        }
        const graph = chosenGraph(request);
        await write('Deploying', { deployment: graph.metadata.name, message: `deploying ${graph.metadata.name}` });
        return { requeueAfter: 300 };
      }
      case 'Deploying': {
        const graph = chosenGraph(request);
        const existing = ctx.informers.dgd.get(graph.metadata.name, namespace);
        if (!existing) {
          await ctx.clients.dgd.create(graph);
          return { requeueAfter: 1_000 };
        }
        if (existing.status?.state === 'successful') await write('Ready', { message: `${graph.metadata.name} is serving` });
        else if (existing.status?.state === 'failed') await write('Failed', { message: `${graph.metadata.name} failed: ${existing.status.message ?? ''}` });
        else return { requeueAfter: 1_000 };
        return;
      }
      case 'Ready':
        if (status.deployment && !ctx.informers.dgd.get(status.deployment, namespace)) {
          await write('DeploymentDeleted', { message: `${status.deployment} was deleted` });
        }
        return;
      default:
        return;
    }
  };
}
