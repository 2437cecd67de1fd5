/** Kubeconfigs that point client-node (or kubectl) at a LocalApiServer. */
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  /** Server URL, e.g. `http://127.0.0.1:41234`. */
  server: string;
  /** Bearer token for the user entry, if any. */
  token?: string;
  /** The context's default namespace. */
  namespace?: string;
  /** Name used for the cluster, user and context entries. */
  name?: string;
}

/**
 * A client-node KubeConfig for the server. Plain HTTP needs `skipTLSVerify: true`:
 * client-node refuses `http:` servers otherwise.
 */
export function buildKubeConfig(options: KubeconfigOptions): KubeConfig {
  const name = options.name ?? 'promkit-local';
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name, server: options.server, skipTLSVerify: true }],
    users: [options.token === undefined ? { name } : { name, token: options.token }],
    contexts: [{ name, cluster: name, user: name, namespace: options.namespace ?? 'default' }],
    currentContext: name,
  });
  return kc;
}

/** The same configuration as kubeconfig YAML (for `--kubeconfig` / `KUBECONFIG`). */
export function kubeconfigYaml(options: KubeconfigOptions): string {
  const name = options.name ?? 'promkit-local';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: options.server, 'insecure-skip-tls-verify': true } }],
    users: [{ name, user: options.token === undefined ? {} : { token: options.token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: options.namespace ?? 'default' } }],
    'current-context': name,
    preferences: {},
  });
}
