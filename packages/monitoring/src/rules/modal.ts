import { MODAL_SELF_MATCH } from '@promkit/catalogs';
import { bucketSeries } from './series.js';
import type { RuleSet } from './types.js';

const a100 = 'gpu_type="A100"';
const failedA100 = `modal_jobs_total{status="failed",${a100},replicas="1"}`;
const completedA100 = `modal_jobs_total{status="completed",${a100},replicas="1"}`;
const errors = 'modal_operator_errors_total{error_type="api",component="controller"}';
const up = 'up{job="modal-operator",instance="modal-operator:8081"}';
const queue = (buckets: Record<string, string>) => bucketSeries('modal_job_queue_seconds', a100, buckets);
const duration = (buckets: Record<string, string>) => bucketSeries('modal_job_duration_seconds', `status="completed",${a100}`, buckets);

/**
 * The spec's PrometheusRule (modal-operator-metrics.md) and its "Alerting Queries" turned into
 * alerts; the spec gives those queries no `for`/severity, so those are ours.
 */
export const modalRules: RuleSet = {
  catalog: 'modal',
  groups: [
    {
      name: 'modal-operator',
      rules: [
        {
          alert: 'ModalJobFailureRate',
          expr: 'rate(modal_jobs_total{status="failed"}[5m]) > 0.1',
          for: '2m',
          severity: 'warning',
          summary: 'High Modal job failure rate',
          description: 'Modal job failure rate is {{ $value | printf "%.2f" }} jobs/sec',
          runbook:
            'Look at the failed jobs of that GPU type: their events and logs show whether the image, the code or ' +
            'capacity is at fault. Many failures at once across GPU types point at the operator or Modal itself.',
          fires: {
            name: '0.2 failures per second',
            series: { [failedA100]: '0+12x20' },
            at: '10m',
            alerts: [{ labels: { status: 'failed', gpu_type: 'A100', replicas: '1' }, value: 0.2 }],
          },
          quiet: {
            name: '0.05 failures per second',
            series: { [failedA100]: '0+3x20' },
            at: '10m',
            alerts: [],
          },
        },
        {
          alert: 'ModalOperatorDown',
          expr: 'up{job="modal-operator"} == 0',
          for: '1m',
          severity: 'critical',
          summary: 'Modal operator is down',
          description: 'Modal operator has been down for more than 1 minute',
          runbook:
            'Prometheus cannot scrape the operator. Check the pod (`kubectl -n modal-system get pods`), its restarts ' +
            'and logs, and that the Service still selects it on port 8081.',
          fires: {
            name: 'scrapes fail from minute 3',
            series: { [up]: '1 1 1 0 0 0 0 0 0 0' },
            at: '9m',
            alerts: [{ labels: { job: 'modal-operator', instance: 'modal-operator:8081' }, value: 0 }],
          },
          quiet: { name: 'scrapes succeed', series: { [up]: '1x10' }, at: '9m', alerts: [] },
        },
        {
          alert: 'HighErrorRate',
          expr: 'rate(modal_operator_errors_total[5m]) > 0.05',
          for: '2m',
          severity: 'warning',
          summary: 'High error rate in Modal operator',
          description: 'Error rate is {{ $value | printf "%.2f" }} errors/sec',
          runbook:
            "The labels name the component and error type. API errors usually mean the Kubernetes API or Modal's " +
            'API is throttling or unreachable; read the operator logs around the start of the alert.',
          fires: {
            name: '0.1 errors per second',
            series: { [errors]: '0+6x20' },
            at: '10m',
            alerts: [{ labels: { error_type: 'api', component: 'controller' }, value: 0.1 }],
          },
          quiet: { name: 'an error every minute', series: { [errors]: '0+1x20' }, at: '10m', alerts: [] },
        },
        {
          alert: 'ModalHighJobFailureRatio',
          expr: `sum by (gpu_type) (rate(modal_jobs_total{status="failed"}[5m])) / ` + 'sum by (gpu_type) (rate(modal_jobs_total[5m])) > 0.1',
          for: '5m',
          severity: 'warning',
          summary: 'More than 10% of Modal jobs fail',
          description: '{{ $value | humanizePercentage }} of {{ $labels.gpu_type }} jobs failed over the last 5 minutes',
          runbook: 'As for ModalJobFailureRate, restricted to the GPU type in the labels.',
          correctsSpec: `Spec: \`rate(modal_jobs_total{status="failed"}[5m]) / rate(modal_jobs_total[5m]) > 0.1\`. ${MODAL_SELF_MATCH} As an alert it fired on the first failure.`,
          fires: {
            name: '3 of 10 jobs fail',
            series: { [failedA100]: '0+3x20', [completedA100]: '0+7x20' },
            at: '10m',
            alerts: [{ labels: { gpu_type: 'A100' }, value: 0.3 }],
          },
          quiet: {
            name: '1 of 20 jobs fails',
            series: { [failedA100]: '0+1x20', [completedA100]: '0+19x20' },
            at: '10m',
            alerts: [],
          },
        },
        {
          alert: 'ModalLongQueueTime',
          expr: 'histogram_quantile(0.95, sum by (gpu_type, le) (rate(modal_job_queue_seconds_bucket[5m]))) > 120',
          for: '10m',
          severity: 'warning',
          summary: 'Modal jobs wait long in the queue',
          description: '95th percentile queue time for {{ $labels.gpu_type }} is {{ $value | printf "%.0f" }}s (above 2 minutes)',
          runbook:
            'Jobs wait for GPU capacity of that type. Check Modal capacity and quotas for the GPU type, and whether ' +
            'a burst of submissions explains it (`sum by (gpu_type) (rate(modal_jobs_total[5m]))`).',
          fires: {
            name: 'every job waits 2 to 5 minutes',
            series: queue({ '60': '0x30', '120': '0x30', '300': '0+10x30', '+Inf': '0+10x30' }),
            at: '20m',
            alerts: [{ labels: { gpu_type: 'A100' }, value: 291 }],
          },
          quiet: {
            name: 'every job starts within a minute',
            series: queue({ '60': '0+10x30', '120': '0+10x30', '300': '0+10x30', '+Inf': '0+10x30' }),
            at: '20m',
            alerts: [],
          },
        },
        {
          alert: 'ModalHighColdStartRate',
          expr: 'rate(modal_function_cold_starts_total[5m]) * 60 > 1',
          for: '5m',
          severity: 'warning',
          summary: 'Modal functions cold-start often',
          description: '{{ $labels.job_name }} on {{ $labels.gpu_type }} cold-starts {{ $value | printf "%.1f" }} times a minute',
          runbook:
            'Frequent cold starts add latency and cost: consider keeping warm containers for the job, or check ' + 'whether containers crash and get replaced.',
          fires: {
            name: '3 cold starts a minute',
            series: { 'modal_function_cold_starts_total{job_name="train",gpu_type="H100"}': '0+3x20' },
            at: '12m',
            alerts: [{ labels: { job_name: 'train', gpu_type: 'H100' }, value: 3 }],
          },
          quiet: {
            name: 'a cold start every two minutes',
            series: { 'modal_function_cold_starts_total{job_name="train",gpu_type="H100"}': '0+0.5x20' },
            at: '12m',
            alerts: [],
          },
        },
        {
          alert: 'ModalHighCost',
          expr: 'sum(modal_cost_estimate_usd{time_period="hourly"}) > 100',
          for: '15m',
          severity: 'warning',
          summary: 'Modal spend above $100 an hour',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal dollar sign before a Prometheus (Go) template, not a JS template
          description: 'Estimated hourly cost is ${{ $value | printf "%.2f" }}',
          runbook:
            'Find the expensive jobs: `topk(5, modal_cost_estimate_usd{time_period="hourly"})`. Stop or scale down ' +
            'what is not needed; check for jobs stuck running.',
          fires: {
            name: 'two jobs cost $110 an hour',
            series: {
              'modal_cost_estimate_usd{job_name="train",gpu_type="H100",time_period="hourly"}': '60x30',
              'modal_cost_estimate_usd{job_name="eval",gpu_type="A100",time_period="hourly"}': '50x30',
            },
            at: '20m',
            alerts: [{ labels: {}, value: 110 }],
          },
          quiet: {
            name: 'two jobs cost $50 an hour',
            series: {
              'modal_cost_estimate_usd{job_name="train",gpu_type="H100",time_period="hourly"}': '30x30',
              'modal_cost_estimate_usd{job_name="eval",gpu_type="A100",time_period="hourly"}': '20x30',
            },
            at: '20m',
            alerts: [],
          },
        },
        {
          alert: 'ModalLongRunningJobs',
          expr: 'histogram_quantile(0.99, sum by (gpu_type, le) (rate(modal_job_duration_seconds_bucket[1h]))) > 3600',
          for: '5m',
          severity: 'info',
          summary: 'Modal jobs run longer than an hour',
          description: 'More than 1% of {{ $labels.gpu_type }} jobs that ended in the last hour ran longer than an hour',
          runbook: 'Check whether these jobs are expected to be long (training) or hung; a hung job keeps its GPUs and ' + 'its cost running.',
          correctsSpec:
            'Spec: `modal_job_duration_seconds > 3600`. modal_job_duration_seconds is a histogram: Prometheus ' +
            'stores only its _bucket, _sum and _count series, so the query selects nothing and can never fire. ' +
            'A histogram records jobs when they end, so the alert can only be about jobs that ended; spotting a ' +
            'job still running after an hour needs a start-time gauge, which the spec does not have.',
          fires: {
            name: '1 job in 10 runs 1-2 hours',
            series: duration({ '3600': '0+9x70', '7200': '0+10x70', '+Inf': '0+10x70' }),
            at: '1h',
            alerts: [{ labels: { gpu_type: 'A100' }, value: 6840 }],
          },
          quiet: {
            name: 'every job ends within an hour',
            series: duration({ '3600': '0+10x70', '7200': '0+10x70', '+Inf': '0+10x70' }),
            at: '1h',
            alerts: [],
          },
        },
        {
          alert: 'ModalOperatorErrorBurst',
          expr: 'rate(modal_operator_errors_total[5m]) * 60 > 5',
          for: '2m',
          severity: 'critical',
          summary: 'Modal operator errors above 5 a minute',
          description: '{{ $labels.component }} reports {{ $value | printf "%.1f" }} {{ $labels.error_type }} errors a minute',
          runbook: 'As for HighErrorRate; at this rate jobs are most likely not being reconciled at all.',
          fires: {
            name: '6 errors a minute',
            series: { [errors]: '0+6x20' },
            at: '10m',
            alerts: [{ labels: { error_type: 'api', component: 'controller' }, value: 6 }],
          },
          quiet: { name: '3 errors a minute', series: { [errors]: '0+3x20' }, at: '10m', alerts: [] },
        },
        {
          alert: 'ModalOperatorRestarted',
          expr: 'increase(modal_operator_restarts_total[5m]) > 0',
          for: '0m',
          severity: 'warning',
          summary: 'Modal operator restarted',
          description: 'The Modal operator restarted in the last 5 minutes',
          runbook: "Check the previous container's logs (`kubectl logs --previous`) and its last state: OOMKilled, failed " + 'liveness probe, or a crash.',
          fires: {
            name: 'one restart at minute 5',
            series: { modal_operator_restarts_total: '0 0 0 0 0 1 1 1 1 1' },
            at: '6m',
            alerts: [{ labels: {}, value: 1 }],
          },
          quiet: { name: 'no restarts', series: { modal_operator_restarts_total: '0x10' }, at: '6m', alerts: [] },
        },
        {
          alert: 'ModalWebhookErrors',
          expr: 'sum(rate(modal_webhook_requests_total{status="error"}[5m])) / ' + 'sum(rate(modal_webhook_requests_total[5m])) > 0.05',
          for: '5m',
          severity: 'warning',
          summary: 'Modal webhook errors above 5%',
          description: '{{ $value | humanizePercentage }} of webhook requests fail',
          runbook: "Failing admission calls block creating or updating jobs. Check the webhook's certificate, Service " + 'endpoints and the operator logs.',
          correctsSpec:
            'Spec: `rate(modal_webhook_requests_total{status="error"}[5m]) / rate(modal_webhook_requests_total[5m]) > 0.05`. ' +
            `${MODAL_SELF_MATCH} As an alert it fired on the first error.`,
          fires: {
            name: '1 request in 10 fails',
            series: {
              'modal_webhook_requests_total{method="POST",status="error"}': '0+1x20',
              'modal_webhook_requests_total{method="POST",status="success"}': '0+9x20',
            },
            at: '12m',
            alerts: [{ labels: {}, value: 0.1 }],
          },
          quiet: {
            name: '1 request in 50 fails',
            series: {
              'modal_webhook_requests_total{method="POST",status="error"}': '0+1x20',
              'modal_webhook_requests_total{method="POST",status="success"}': '0+49x20',
            },
            at: '12m',
            alerts: [],
          },
        },
        {
          alert: 'ModalNoActiveJobs',
          expr: 'sum(modal_jobs_active) == 0 and sum(rate(modal_jobs_total[5m])) > 0',
          for: '10m',
          severity: 'info',
          summary: 'Jobs are submitted but none is active',
          description: 'Modal jobs keep being counted but none has been active for 10 minutes',
          runbook:
            'Jobs finish or fail without ever showing as active: check that the operator updates job status, and ' +
            'whether every job fails immediately (ModalJobFailureRate).',
          correctsSpec:
            'Spec: `sum(modal_jobs_active) == 0 and rate(modal_jobs_total[5m]) > 0`. `and` matches on all labels: ' +
            'the left side has none, the right side has status, gpu_type and replicas, so nothing ever matches. ' +
            'Both sides are summed.',
          fires: {
            name: 'a job a minute, none active',
            series: { [`modal_jobs_active{${a100}}`]: '0x30', [completedA100]: '0+1x30' },
            at: '20m',
            alerts: [{ labels: {}, value: 0 }],
          },
          quiet: {
            name: 'a job a minute, two active',
            series: { [`modal_jobs_active{${a100}}`]: '2x30', [completedA100]: '0+1x30' },
            at: '20m',
            alerts: [],
          },
        },
      ],
    },
  ],
};
