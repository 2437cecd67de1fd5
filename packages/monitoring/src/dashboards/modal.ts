import type { DashboardSpec } from './builder.js';

const GPU = 'gpu_type=~"$gpu_type"';
const W = '$__rate_interval';

/** The seven "Key Panels" of modal-operator-metrics.md. */
export const modalDashboard: DashboardSpec = {
  uid: 'promkit-modal',
  title: 'Modal Operator',
  description: 'Jobs, GPU usage, networking and errors of the Modal GPU job operator.',
  tags: ['promkit', 'modal', 'operator'],
  variables: [{ name: 'gpu_type', label: 'GPU type', metric: 'modal_jobs_active', multi: true }],
  rows: [
    {
      title: 'Jobs',
      panels: [
        {
          kind: 'stat',
          title: 'Active Modal Jobs',
          description: 'Jobs running now.',
          unit: 'short',
          targets: [{ expr: `sum(modal_jobs_active{${GPU}})` }],
        },
        {
          kind: 'timeseries',
          title: 'Jobs by Status',
          description: 'Jobs finishing per second, by status.',
          unit: 'ops',
          width: 18,
          targets: [{ expr: `sum by (status) (rate(modal_jobs_total{${GPU}}[${W}]))`, legend: '{{status}}' }],
        },
        {
          kind: 'timeseries',
          title: 'GPU Utilization by Type',
          description: 'Average GPU utilization of the jobs on each GPU type.',
          unit: 'percent',
          targets: [{ expr: `avg by (gpu_type) (modal_gpu_utilization{${GPU}})`, legend: '{{gpu_type}}' }],
        },
        {
          kind: 'timeseries',
          title: 'Job Duration Distribution',
          description: 'Median, 95th and 99th percentile duration of finished jobs.',
          unit: 's',
          targets: ['0.5', '0.95', '0.99'].map((q) => ({
            expr: `histogram_quantile(${q}, sum by (le) (rate(modal_job_duration_seconds_bucket{${GPU}}[${W}])))`,
            legend: `p${Number(q) * 100}`,
          })),
        },
      ],
    },
    {
      title: 'Distribution and Health',
      panels: [
        {
          kind: 'timeseries',
          title: 'i6pn Networking Usage',
          description: 'Jobs using i6pn networking (multi-replica jobs) per second, by replica count.',
          unit: 'ops',
          width: 8,
          targets: [{ expr: `sum by (replicas) (rate(modal_i6pn_jobs_total[${W}]))`, legend: '{{replicas}} replicas' }],
        },
        {
          kind: 'timeseries',
          title: 'Error Rate',
          description: 'Operator errors per second by component and type.',
          unit: 'ops',
          width: 8,
          targets: [{ expr: `sum by (component, error_type) (rate(modal_operator_errors_total[${W}]))`, legend: '{{component}} {{error_type}}' }],
        },
        {
          kind: 'timeseries',
          title: 'Replica Distribution',
          description: 'How many jobs run with each replica count.',
          unit: 'short',
          width: 8,
          targets: [{ expr: 'count_values("replicas", modal_job_replicas)', legend: '{{replicas}} replicas' }],
        },
      ],
    },
  ],
};
