/** What the five Dynamo controllers share: typed clients, informers (caches) and owner references. */
import type { V1Pod } from '@kubernetes/client-node';
import type { ResourceClient } from '../clients.js';
import type {
  DynamoComponentDeployment,
  DynamoGraphDeployment,
  DynamoGraphDeploymentRequest,
  DynamoGraphDeploymentScalingAdapter,
  DynamoModel,
} from '../crds.js';
import type { CoreV1Api } from '@kubernetes/client-node';
import type { Log } from '../log.js';
import type { CachedInformer } from './informers.js';

export interface DynamoClients {
  readonly dgd: ResourceClient<DynamoGraphDeployment>;
  readonly dcd: ResourceClient<DynamoComponentDeployment>;
  readonly dm: ResourceClient<DynamoModel>;
  readonly dgdr: ResourceClient<DynamoGraphDeploymentRequest>;
  readonly dgdsa: ResourceClient<DynamoGraphDeploymentScalingAdapter>;
}

export interface DynamoInformers {
  readonly dgd: CachedInformer<DynamoGraphDeployment>;
  readonly dcd: CachedInformer<DynamoComponentDeployment>;
  readonly dm: CachedInformer<DynamoModel>;
  readonly dgdr: CachedInformer<DynamoGraphDeploymentRequest>;
  readonly dgdsa: CachedInformer<DynamoGraphDeploymentScalingAdapter>;
  readonly pods: CachedInformer<V1Pod>;
}

export interface DynamoContext {
  readonly clients: DynamoClients;
  readonly core: CoreV1Api;
  readonly informers: DynamoInformers;
  readonly log: Log;
}
