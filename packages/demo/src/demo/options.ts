/** `promkit demo` flags: parsing, defaults from the catalogs' scrape ports, and the usage text. */
import { parseArgs } from 'node:util';
import { UsageError } from '@promkit/monitoring';
import { datamoverCatalog, dynamoOperatorCatalog, dynamoRuntimeCatalog, modalCatalog } from '@promkit/catalogs';

export interface DemoPorts {
  datamover: number;
  modal: number;
  dynamo: number;
  runtime: number;
  prometheus: number;
}

export interface DemoOptions {
  ports: DemoPorts;
  /** Interface the metrics servers listen on. */
  host: string;
  stateDir: string;
  prometheus: boolean;
  /** Stop after this many seconds (undefined: until Ctrl-C). */
  durationSeconds?: number;
  quiet: boolean;
  kubeconfig?: string;
  cluster: boolean;
  seed: number;
  help: boolean;
}

/** Which flag sets each port, for messages such as "pass --modal-port <free port>". */
export const PORT_FLAGS: Readonly<Record<keyof DemoPorts, string>> = {
  datamover: '--datamover-port',
  modal: '--modal-port',
  dynamo: '--dynamo-port',
  runtime: '--runtime-port',
  prometheus: '--prometheus-port',
};

export const DEFAULT_PORTS: Readonly<DemoPorts> = {
  datamover: datamoverCatalog.scrape.port,
  modal: modalCatalog.scrape.port,
  dynamo: dynamoOperatorCatalog.scrape.port,
  runtime: dynamoRuntimeCatalog.scrape.port,
  prometheus: 9090,
};

export const DEFAULT_STATE_DIR = '.promkit/demo';

export const DEMO_USAGE = `usage: promkit-demo [options]        (npx @promkit/demo; npm start in the repository)

Runs the reference operators (Dynamo, DataMover, Modal) on an embedded Kubernetes API with a
workload generator, serves each operator's metrics and a Dynamo runtime endpoint, writes a
Prometheus config for them, and starts Prometheus when it is installed.

options:
  --dynamo-port N       Dynamo operator metrics (default ${DEFAULT_PORTS.dynamo})
  --datamover-port N    DataMover operator metrics (default ${DEFAULT_PORTS.datamover})
  --modal-port N        Modal operator metrics (default ${DEFAULT_PORTS.modal})
  --runtime-port N      Dynamo runtime system status server (default ${DEFAULT_PORTS.runtime})
  --prometheus-port N   Prometheus, when started (default ${DEFAULT_PORTS.prometheus})
                        (0 for any port picks a free one; the banner shows what was bound)
  --host HOST           interface the metrics servers listen on (default 127.0.0.1)
  --state-dir DIR       prometheus.yml, rules, kubeconfig, Prometheus data (default ${DEFAULT_STATE_DIR})
  --no-prometheus       do not start Prometheus, even when it is on PATH
  --duration SECONDS    stop after this long (default: run until Ctrl-C)
  --seed N              seed of the workload generator (default 1)
  --quiet               no banner and no live summary
  --kubeconfig PATH     watch the cluster of this kubeconfig instead (no embedded API, no workload)
  --cluster             watch the cluster of KUBECONFIG (or ~/.kube/config) instead
  --help                this text
  --version             the version of @promkit/demo
`;

/** A bad flag or value; the command prints it with the usage and exits 2. */
export class DemoUsageError extends UsageError {
  override readonly name = 'DemoUsageError';
}

function port(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535)
    throw new DemoUsageError(`${flag} must be a port number from 0 to 65535 (0: any free port), got '${text}'`);
  return Number(text);
}

function parseDemoArgs(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      'dynamo-port': { type: 'string' },
      'datamover-port': { type: 'string' },
      'modal-port': { type: 'string' },
      'runtime-port': { type: 'string' },
      'prometheus-port': { type: 'string' },
      host: { type: 'string' },
      'state-dir': { type: 'string' },
      'no-prometheus': { type: 'boolean' },
      duration: { type: 'string' },
      seed: { type: 'string' },
      quiet: { type: 'boolean' },
      kubeconfig: { type: 'string' },
      cluster: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

export function parseDemoOptions(argv: readonly string[]): DemoOptions {
  let values: ReturnType<typeof parseDemoArgs>['values'];
  try {
    ({ values } = parseDemoArgs(argv));
  } catch (error) {
    // parseArgs' messages name the flag ("Unknown option '--x'"); keep them, drop the Node hints.
    throw new DemoUsageError((error as Error).message.split('. To specify')[0]!);
  }
  const ports: DemoPorts = {
    dynamo: port('--dynamo-port', values['dynamo-port'], DEFAULT_PORTS.dynamo),
    datamover: port('--datamover-port', values['datamover-port'], DEFAULT_PORTS.datamover),
    modal: port('--modal-port', values['modal-port'], DEFAULT_PORTS.modal),
    runtime: port('--runtime-port', values['runtime-port'], DEFAULT_PORTS.runtime),
    prometheus: port('--prometheus-port', values['prometheus-port'], DEFAULT_PORTS.prometheus),
  };
  const fixed = (Object.entries(ports) as Array<[keyof DemoPorts, number]>).filter(([, p]) => p !== 0);
  for (const [i, [name, p]] of fixed.entries()) {
    const clash = fixed.slice(i + 1).find(([, q]) => q === p);
    if (clash) throw new DemoUsageError(`${PORT_FLAGS[name]} and ${PORT_FLAGS[clash[0]]} are both ${p}: give each its own port`);
  }
  let durationSeconds: number | undefined;
  if (values.duration !== undefined) {
    durationSeconds = Number(values.duration);
    if (!/^\d+(\.\d+)?$/.test(values.duration) || !(durationSeconds > 0)) {
      throw new DemoUsageError(`--duration must be a positive number of seconds, got '${values.duration}'`);
    }
  }
  let seed = 1;
  if (values.seed !== undefined) {
    if (!/^\d{1,9}$/.test(values.seed)) throw new DemoUsageError(`--seed must be a whole number, got '${values.seed}'`);
    seed = Number(values.seed);
  }
  if (values.kubeconfig !== undefined && values.kubeconfig === '') throw new DemoUsageError('--kubeconfig needs a path');
  const cluster = values.cluster === true;
  return {
    ports,
    host: values.host ?? '127.0.0.1',
    stateDir: values['state-dir'] ?? DEFAULT_STATE_DIR,
    prometheus: values['no-prometheus'] !== true,
    ...(durationSeconds !== undefined ? { durationSeconds } : {}),
    quiet: values.quiet === true,
    ...(values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {}),
    cluster,
    seed,
    help: values.help === true,
  };
}
