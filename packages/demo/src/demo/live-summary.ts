/**
 * The one-line live summary, read from the operators' own metrics (what Prometheus would
 * scrape), refreshed every few seconds: rewritten in place on a terminal, one line per
 * refresh otherwise.
 */
import type { Registry } from 'promkit';

export interface SummaryRegistries {
  readonly dynamoOperator: Registry;
  readonly datamover: Registry;
  readonly modal: Registry;
}

export interface SummaryCounts {
  /** Wall-clock ms when read. */
  at: number;
  resources: { ok: number; waiting: number; failed: number };
  reconciles: number;
  errors: number;
  denials: number;
  phases: { ok: number; failed: number };
  jobs: { active: number; completed: number; failed: number; coldStarts: number };
}

const OK_STATES = new Set(['ready', 'successful', 'Ready']);
const FAILED_STATES = new Set(['failed', 'Failed']);

type Sample = { value: number; labels: Record<string, unknown>; metricName?: string };

async function samples(registry: Registry, name: string): Promise<Sample[]> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return [];
  return (await metric.get()).values as Sample[];
}

async function sum(registry: Registry, name: string, where: (labels: Record<string, unknown>) => boolean = () => true): Promise<number> {
  return (await samples(registry, name))
    .filter((s) => s.metricName === undefined || s.metricName === name)
    .reduce((acc, s) => (where(s.labels) ? acc + s.value : acc), 0);
}

export async function readCounts(r: SummaryRegistries, now = Date.now()): Promise<SummaryCounts> {
  const resources = { ok: 0, waiting: 0, failed: 0 };
  for (const s of await samples(r.dynamoOperator, 'dynamo_operator_resources_total')) {
    const status = String(s.labels.status);
    if (OK_STATES.has(status)) resources.ok += s.value;
    else if (FAILED_STATES.has(status)) resources.failed += s.value;
    else resources.waiting += s.value;
  }
  return {
    at: now,
    resources,
    reconciles: await sum(r.dynamoOperator, 'dynamo_operator_reconcile_total'),
    errors: await sum(r.dynamoOperator, 'dynamo_operator_reconcile_errors_total'),
    denials: await sum(r.dynamoOperator, 'dynamo_operator_webhook_denials_total'),
    phases: {
      ok: await sum(r.datamover, 'datamover_operations_total', (l) => l.status === 'success'),
      failed: await sum(r.datamover, 'datamover_operations_total', (l) => l.status === 'failure'),
    },
    jobs: {
      active: await sum(r.modal, 'modal_jobs_active'),
      completed: await sum(r.modal, 'modal_jobs_total', (l) => l.status === 'completed'),
      failed: await sum(r.modal, 'modal_jobs_total', (l) => l.status === 'failed'),
      coldStarts: await sum(r.modal, 'modal_function_cold_starts_total'),
    },
  };
}

function clock(at: number): string {
  return new Date(at).toTimeString().slice(0, 8);
}

/** The summary line; `previous` (an earlier reading) gives the reconcile rate. */
export function formatSummary(now: SummaryCounts, previous?: SummaryCounts): string {
  const seconds = previous ? (now.at - previous.at) / 1000 : 0;
  const rate = previous && seconds > 0 ? ((now.reconciles - previous.reconciles) / seconds).toFixed(1) : '–';
  const { resources: res, jobs } = now;
  return [
    clock(now.at),
    `resources ${res.ok + res.waiting + res.failed} (${res.ok} ok, ${res.waiting} waiting, ${res.failed} failed)`,
    `${rate} reconciles/s`,
    `${now.errors} errors`,
    `${now.denials} denials`,
    `backup phases ${now.phases.ok} ok, ${now.phases.failed} failed`,
    `jobs ${jobs.active} active, ${jobs.completed} completed, ${jobs.failed} failed, ${jobs.coldStarts} cold starts`,
  ].join(' · ');
}

export interface LiveSummary {
  stop(): void;
}

export function startLiveSummary(registries: SummaryRegistries, options: { out?: NodeJS.WriteStream; intervalMs?: number } = {}): LiveSummary {
  const out = options.out ?? process.stdout;
  const tty = out.isTTY === true;
  const interval = options.intervalMs ?? (tty ? 2_000 : 5_000);
  let previous: SummaryCounts | undefined;
  let wrote = false;
  let busy = false;
  const refresh = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      const now = await readCounts(registries);
      let line = formatSummary(now, previous);
      previous = now;
      if (tty) {
        const width = out.columns ?? 160;
        if (line.length > width - 1) line = `${line.slice(0, width - 2)}…`;
        out.write(`\r\x1b[2K${line}`);
      } else {
        out.write(`${line}\n`);
      }
      wrote = true;
    } finally {
      busy = false;
    }
  };
  void readCounts(registries).then((c) => (previous = c));
  const timer = setInterval(() => void refresh().catch(() => {}), interval);
  return {
    stop() {
      clearInterval(timer);
      if (tty && wrote) out.write('\n');
    },
  };
}
