/**
 * `startDemo`: the reference operator (embedded cluster or a real one), each operator's
 * registry on its own port, the Dynamo runtime's system status server, the Prometheus
 * config (and rules) in the state dir, and Prometheus itself when installed. Everything
 * started is stopped, in reverse order, by `stop()` or when a later step fails.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { datamoverCatalog, dynamoOperatorCatalog, dynamoRuntimeCatalog, modalCatalog } from '@promkit/catalogs';
import type { Catalog } from 'promkit/catalog';
import type { Registry } from 'promkit';
import { createLogging, getLogger, installLogging, setDefaultLogging } from '@promkit/logging';
import { setLoggerFactory } from 'promkit/integration';
import type { DistributedRuntime } from 'promkit/runtime';
import { startMetricsServer, type RunningMetricsServer, type ServerLogger } from 'promkit/server';
import { loadReferenceOperator, type DemoLog, type ReferenceOperator } from './operator-contract.js';
import { parseDemoOptions, PORT_FLAGS, type DemoOptions, type DemoPorts } from './options.js';
import { isAddressInUse, PortInUseError } from './port-in-use.js';
import { writePrometheusFiles, type DemoScrapeTarget } from './prometheus-config.js';
import { findPrometheus, startDemoPrometheus, type DemoPrometheus } from './prometheus-process.js';
import { StopStack } from './stop-stack.js';
import { DEFAULT_PREVIEW_PORT, startDemoDashboards } from './dashboard-preview/for-demo.js';
import type { RunningDashboardPreview } from './dashboard-preview/server.js';

export type StartDemoOptions = Partial<DemoOptions> & {
  /** Also told about warnings and errors (the CLI prints them); everything goes to `<state dir>/demo.log`. */
  log?: DemoLog;
  /** Run the workload generator on the embedded cluster (default true). */
  workload?: boolean;
};

/** One served metrics endpoint. */
export interface DemoEndpoint {
  readonly name: string;
  readonly catalog: Catalog;
  readonly port: number;
  /** e.g. http://127.0.0.1:8082/metrics */
  readonly url: string;
}

export interface RunningDemo {
  readonly mode: 'embedded' | 'cluster';
  readonly options: DemoOptions;
  readonly endpoints: {
    readonly dynamo: DemoEndpoint;
    readonly datamover: DemoEndpoint;
    readonly modal: DemoEndpoint;
    readonly runtime: DemoEndpoint;
  };
  readonly operator: ReferenceOperator;
  readonly runtime: DistributedRuntime;
  /** Absolute state dir and the files written there. */
  readonly stateDir: string;
  /** promkit's own log (operator kit, servers, the demo), DYN_LOG* formatted, instead of the terminal. */
  readonly logFile: string;
  readonly prometheusConfig: string;
  readonly ruleFiles: readonly string[];
  readonly rulesNote?: string;
  readonly kubeconfigPath?: string;
  readonly crdsPath: string;
  /** The Prometheus the demo started, if any; otherwise `prometheusNote` says why not. */
  readonly prometheus?: DemoPrometheus;
  readonly prometheusNote?: string;
  /** The generated dashboards served as live pages (needs Prometheus); otherwise `dashboardsNote` says why not. */
  readonly dashboards?: RunningDashboardPreview;
  readonly dashboardsNote?: string;
  stop(): Promise<void>;
}

function quietLogger(log: DemoLog): ServerLogger {
  return { info: (m) => log('debug', m), error: (m) => log('error', m) };
}

async function listening<T>(port: number, flag: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (isAddressInUse(error)) throw new PortInUseError(port, flag, { cause: error });
    throw error;
  }
}

function endpoint(name: string, catalog: Catalog, server: RunningMetricsServer): DemoEndpoint {
  return { name, catalog, port: server.port, url: `${server.url}${catalog.scrape.path}` };
}

/**
 * Sends promkit's process-wide logging (DYN_LOG, DYN_LOGGING_JSONL apply) to a file: the
 * operators fail on purpose many times a second, and the terminal is for the summary.
 */
async function logToFile(path: string, stack: StopStack, forward: DemoLog | undefined): Promise<DemoLog> {
  const stream = createWriteStream(path);
  await new Promise<void>((ok, fail) => stream.once('open', () => ok()).once('error', fail));
  setDefaultLogging(createLogging({ destination: stream }));
  const previousFactory = installLogging();
  stack.push('log file', async () => {
    setLoggerFactory(previousFactory);
    setDefaultLogging(undefined);
    await new Promise<void>((ok) => stream.end(() => ok()));
  });
  const logger = getLogger('promkit::demo');
  return (level, message) => {
    logger[level](message);
    if (level === 'warn' || level === 'error') forward?.(level, message);
  };
}

export async function startDemo(input: StartDemoOptions = {}): Promise<RunningDemo> {
  const { log: forward, workload, ...overrides } = input;
  const options: DemoOptions = { ...parseDemoOptions([]), ...overrides };
  const stateDir = resolve(options.stateDir);
  const logFile = join(stateDir, 'demo.log');
  const stack = new StopStack();
  return stack.guard(async () => {
    await mkdir(stateDir, { recursive: true });
    const log = await logToFile(logFile, stack, forward);
    const module = await loadReferenceOperator();
    const operator = await module.startReferenceOperator({
      ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
      cluster: options.cluster,
      seed: options.seed,
      workload: workload ?? true,
      log,
    });
    stack.push('reference operator', () => operator.stop());

    const logger = quietLogger(log);
    const serve = async (key: keyof DemoPorts, registry: Registry): Promise<RunningMetricsServer> => {
      const port = options.ports[key];
      // Operator endpoints serve exactly their catalogs' families: no request metrics of their own.
      const server = await listening(port, PORT_FLAGS[key], () => startMetricsServer({ registry, port, host: options.host, requestMetrics: false, logger }));
      stack.push(`${key} metrics server`, () => server.close());
      return server;
    };
    const dynamo = await serve('dynamo', operator.registries.dynamoOperator);
    const datamover = await serve('datamover', operator.registries.datamover);
    const modal = await serve('modal', operator.registries.modal);

    const simulation = module.startRuntimeSimulation({ seed: options.seed, log });
    stack.push('runtime simulation', () => simulation.stop());
    const runtimeServer = await listening(options.ports.runtime, PORT_FLAGS.runtime, async () => {
      // DYN_SYSTEM_* from the environment apply (paths, health); the flags decide enablement, host and port.
      const started = await simulation.runtime.startSystemServer({ enabled: true, port: options.ports.runtime, host: options.host, logger });
      if (!started) throw new Error('the runtime system status server did not start');
      return started;
    });
    stack.push('runtime system status server', () => runtimeServer.close());

    const endpoints = {
      dynamo: endpoint('Dynamo operator', dynamoOperatorCatalog, dynamo),
      datamover: endpoint('DataMover operator', datamoverCatalog, datamover),
      modal: endpoint('Modal operator', modalCatalog, modal),
      runtime: endpoint('Dynamo runtime', dynamoRuntimeCatalog, runtimeServer),
    };

    const crdsPath = join(stateDir, 'crds.yaml');
    await writeFile(
      crdsPath,
      operator
        .crdManifests()
        .map((m) => stringify(m))
        .join('---\n'),
    );
    const kubeconfigPath = operator.writeKubeconfig ? await operator.writeKubeconfig(join(stateDir, 'kubeconfig')) : undefined;

    const binary = options.prometheus ? findPrometheus() : undefined;
    const promHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
    // With --prometheus-port 0 the self-scrape target is unknown until Prometheus runs; skip it.
    const self = binary && options.ports.prometheus !== 0 ? `${promHost}:${options.ports.prometheus}` : undefined;
    const targets: DemoScrapeTarget[] = Object.values(endpoints).map((e) => ({ catalog: e.catalog, address: new URL(e.url).host }));
    const files = await writePrometheusFiles(stateDir, targets, self ? { self } : {});

    let prometheus: DemoPrometheus | undefined;
    let prometheusNote: string | undefined;
    if (!options.prometheus) prometheusNote = 'not started (--no-prometheus)';
    else if (!binary) prometheusNote = 'not found on PATH (apt-get install prometheus, or set PROMETHEUS_BIN)';
    else {
      prometheus = await startDemoPrometheus({ binary, configPath: files.configPath, stateDir, host: promHost, port: options.ports.prometheus });
      stack.push('prometheus', () => prometheus!.prometheus.close());
    }
    const previewPort = options.ports.prometheus === 0 ? 0 : DEFAULT_PREVIEW_PORT;
    const dashboards = await startDemoDashboards({ stateDir, prometheusUrl: prometheus?.prometheus.url, host: options.host, port: previewPort });
    if (dashboards.preview) stack.push('dashboard preview', () => dashboards.preview!.close());

    const demo: RunningDemo = {
      mode: operator.mode,
      options,
      endpoints,
      operator,
      runtime: simulation.runtime,
      stateDir,
      logFile,
      prometheusConfig: files.configPath,
      ruleFiles: files.ruleFiles,
      ...(files.rulesNote ? { rulesNote: files.rulesNote } : {}),
      ...(kubeconfigPath ? { kubeconfigPath } : {}),
      crdsPath,
      ...(prometheus ? { prometheus } : {}),
      ...(prometheusNote ? { prometheusNote } : {}),
      ...(dashboards.preview ? { dashboards: dashboards.preview } : {}),
      ...(dashboards.note ? { dashboardsNote: dashboards.note } : {}),
      async stop() {
        const failures = await stack.stopAll();
        if (failures.length > 0) throw new AggregateError(failures, failures.map((f) => f.message).join('; '));
      },
    };
    return demo;
  });
}
