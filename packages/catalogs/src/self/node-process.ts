import { defineCatalog } from 'promkit/catalog';

const W = '$__rate_interval';
const BY = 'job, instance';
const LEGEND = '{{job}} {{instance}}';
const proc = 'job="svc",instance="10.0.0.1:9464"';

/**
 * The Node.js process families `collectDefaultMetrics()` registers (prom-client's names),
 * the ones a dashboard and alerts need. Every promkit process exposes them beside its own
 * families, so the catalog is embedded: scraped with each service's job.
 */
export const nodeProcessCatalog = defineCatalog({
  id: 'nodejs-process',
  title: 'Node.js Process',
  description: 'CPU, memory, event loop, garbage collection and file descriptors of every process that calls collectDefaultMetrics().',
  embedded: true,
  // Where the local stack finds one such process: the Dynamo runtime's status server.
  scrape: { job: 'dynamo', port: 8083, path: '/metrics' },
  metrics: {
    cpu: {
      name: 'process_cpu_seconds_total',
      type: 'counter',
      help: 'Total user and system CPU time spent in seconds.',
      labelNames: [] as const,
      unit: 'seconds',
    },
    startTime: { name: 'process_start_time_seconds', type: 'gauge', help: 'Start time of the process since unix epoch in seconds.', labelNames: [] as const },
    resident: { name: 'process_resident_memory_bytes', type: 'gauge', help: 'Resident memory size in bytes.', labelNames: [] as const },
    openFds: { name: 'process_open_fds', type: 'gauge', help: 'Number of open file descriptors.', labelNames: [] as const },
    maxFds: { name: 'process_max_fds', type: 'gauge', help: 'Maximum number of open file descriptors.', labelNames: [] as const },
    lagP99: {
      name: 'nodejs_eventloop_lag_p99_seconds',
      type: 'gauge',
      help: 'The 99th percentile of the recorded event loop delays.',
      labelNames: [] as const,
    },
    lagMean: { name: 'nodejs_eventloop_lag_mean_seconds', type: 'gauge', help: 'The mean of the recorded event loop delays.', labelNames: [] as const },
    heapUsed: { name: 'nodejs_heap_size_used_bytes', type: 'gauge', help: 'Process heap size used from Node.js in bytes.', labelNames: [] as const },
    heapTotal: { name: 'nodejs_heap_size_total_bytes', type: 'gauge', help: 'Process heap size from Node.js in bytes.', labelNames: [] as const },
    external: { name: 'nodejs_external_memory_bytes', type: 'gauge', help: 'Node.js external memory size in bytes.', labelNames: [] as const },
    activeHandles: { name: 'nodejs_active_handles_total', type: 'gauge', help: 'Total number of active handles.', labelNames: [] as const },
    gc: {
      name: 'nodejs_gc_duration_seconds',
      type: 'histogram',
      help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
      labelNames: ['kind'] as const,
      labelValues: { kind: ['major', 'minor', 'incremental', 'weakcb'] },
      buckets: [0.001, 0.01, 0.1, 1, 2, 5],
      bucketsRationale: "prom-client's defaults, which collectDefaultMetrics() keeps unless gcDurationBuckets is given.",
      unit: 'seconds',
    },
    version: {
      name: 'nodejs_version_info',
      type: 'gauge',
      help: 'Node.js version info.',
      labelNames: ['version', 'major', 'minor', 'patch'] as const,
    },
  },
  queries: [
    { title: 'CPU cores used per process', expr: `sum by (${BY}) (rate(process_cpu_seconds_total[5m]))` },
    { title: 'Event loop p99 lag per process', expr: `max by (${BY}) (nodejs_eventloop_lag_p99_seconds)` },
    { title: 'Share of file descriptors in use', expr: `max by (${BY}) (process_open_fds / process_max_fds)` },
  ],
  dashboard: {
    uid: 'promkit-nodejs-process',
    title: 'Node.js Process',
    description: 'CPU, memory, event loop lag, garbage collection and file descriptors per process.',
    tags: ['promkit', 'nodejs'],
    variables: [{ name: 'instance', label: 'Instance', metric: 'process_cpu_seconds_total', multi: true }],
    rows: [
      {
        title: 'Overview',
        panels: [
          {
            kind: 'stat',
            title: 'Processes',
            description: 'Processes reporting default metrics.',
            unit: 'short',
            targets: [{ expr: 'count(process_start_time_seconds{instance=~"$instance"})', legend: 'processes' }],
          },
          {
            kind: 'stat',
            title: 'Max event loop p99 lag',
            description: 'Worst 99th percentile event loop delay of any process.',
            unit: 's',
            targets: [{ expr: 'max(nodejs_eventloop_lag_p99_seconds{instance=~"$instance"})', legend: 'p99 lag' }],
          },
          {
            kind: 'stat',
            title: 'Total resident memory',
            description: 'Resident memory of all selected processes.',
            unit: 'bytes',
            targets: [{ expr: 'sum(process_resident_memory_bytes{instance=~"$instance"})', legend: 'resident' }],
          },
          {
            kind: 'table',
            title: 'Node.js versions',
            description: 'Node.js version of each process, to spot the ones left behind after an upgrade.',
            unit: 'short',
            targets: [{ expr: 'count by (version) (nodejs_version_info{instance=~"$instance"})', legend: '{{version}}' }],
            width: 6,
          },
        ],
      },
      {
        title: 'Resources',
        panels: [
          {
            kind: 'timeseries',
            title: 'CPU',
            description: 'CPU cores used (user + system) per process.',
            unit: 'short',
            targets: [{ expr: `sum by (${BY}) (rate(process_cpu_seconds_total{instance=~"$instance"}[${W}]))`, legend: LEGEND }],
          },
          {
            kind: 'timeseries',
            title: 'Memory',
            description: 'Resident memory, V8 heap in use and external memory per process; a heap that only grows is a leak.',
            unit: 'bytes',
            targets: [
              { expr: `sum by (${BY}) (process_resident_memory_bytes{instance=~"$instance"})`, legend: `resident ${LEGEND}` },
              { expr: `sum by (${BY}) (nodejs_heap_size_used_bytes{instance=~"$instance"})`, legend: `heap used ${LEGEND}` },
              { expr: `sum by (${BY}) (nodejs_external_memory_bytes{instance=~"$instance"})`, legend: `external ${LEGEND}` },
            ],
          },
          {
            kind: 'timeseries',
            title: 'Event loop lag',
            description: 'Mean and 99th percentile event loop delay; every millisecond here delays every request and scrape.',
            unit: 's',
            targets: [
              { expr: `max by (${BY}) (nodejs_eventloop_lag_p99_seconds{instance=~"$instance"})`, legend: `p99 ${LEGEND}` },
              { expr: `max by (${BY}) (nodejs_eventloop_lag_mean_seconds{instance=~"$instance"})`, legend: `mean ${LEGEND}` },
            ],
          },
          {
            kind: 'timeseries',
            title: 'GC time',
            description: 'Share of wall time spent in garbage collection, by kind.',
            unit: 'percentunit',
            targets: [{ expr: `sum by (kind) (rate(nodejs_gc_duration_seconds_sum{instance=~"$instance"}[${W}]))`, legend: '{{kind}}' }],
          },
          {
            kind: 'timeseries',
            title: 'File descriptors',
            description: 'Open file descriptors as a share of the limit, and active libuv handles.',
            unit: 'percentunit',
            targets: [{ expr: `max by (${BY}) (process_open_fds{instance=~"$instance"} / process_max_fds{instance=~"$instance"})`, legend: LEGEND }],
          },
          {
            kind: 'timeseries',
            title: 'Active handles',
            description: 'Sockets, timers and other libuv handles keeping each process alive.',
            unit: 'short',
            targets: [{ expr: `sum by (${BY}) (nodejs_active_handles_total{instance=~"$instance"})`, legend: LEGEND }],
          },
        ],
      },
    ],
  },
  rules: [
    {
      name: 'nodejs-process',
      rules: [
        {
          alert: 'NodeEventLoopLagHigh',
          expr: `max by (${BY}) (nodejs_eventloop_lag_p99_seconds) > 0.5`,
          for: '10m',
          severity: 'warning',
          summary: 'Node.js event loop blocked',
          description: '99th percentile event loop lag of {{ $labels.job }} {{ $labels.instance }} is {{ $value | humanize }}s',
          impact: 'Every request, health probe and scrape of the process waits this long; liveness probes may restart it.',
          diagnosis: [
            { title: 'CPU of the process', expr: `sum by (${BY}) (rate(process_cpu_seconds_total[5m]))` },
            { title: 'Time in garbage collection', expr: `sum by (${BY}, kind) (rate(nodejs_gc_duration_seconds_sum[5m]))` },
          ],
          runbook:
            'A CPU near one core means synchronous work (JSON of large objects, regexes, crypto, a huge registry scrape): ' +
            'take a CPU profile (`node --cpu-prof`, or the inspector). A high GC share means memory pressure: compare heap ' +
            'used with the heap limit.',
          fires: {
            name: 'p99 lag 800ms',
            series: { [`nodejs_eventloop_lag_p99_seconds{${proc}}`]: '0.8x30' },
            at: '20m',
            alerts: [{ labels: { job: 'svc', instance: '10.0.0.1:9464' }, value: 0.8 }],
          },
          quiet: { name: 'p99 lag 10ms', series: { [`nodejs_eventloop_lag_p99_seconds{${proc}}`]: '0.01x30' }, at: '20m', alerts: [] },
        },
        {
          alert: 'NodeFileDescriptorsNearLimit',
          expr: `max by (${BY}) (process_open_fds / process_max_fds) > 0.8`,
          for: '10m',
          severity: 'warning',
          summary: 'Process close to its file descriptor limit',
          description: '{{ $labels.job }} {{ $labels.instance }} uses {{ $value | humanizePercentage }} of its file descriptors',
          impact: 'At the limit, new connections and file opens fail with EMFILE: requests and scrapes start failing.',
          diagnosis: [{ title: 'Active handles per process', expr: `sum by (${BY}) (nodejs_active_handles_total)` }],
          runbook:
            'Growing descriptors with steady traffic are a leak: sockets not closed (HTTP agents without keep-alive limits, ' +
            'watch streams never aborted) or files left open. `ls -l /proc/<pid>/fd` in the container shows what they are.',
          fires: {
            name: '900 of 1000 descriptors open',
            series: { [`process_open_fds{${proc}}`]: '900x30', [`process_max_fds{${proc}}`]: '1000x30' },
            at: '20m',
            alerts: [{ labels: { job: 'svc', instance: '10.0.0.1:9464' }, value: 0.9 }],
          },
          quiet: {
            name: '100 of 1000 descriptors open',
            series: { [`process_open_fds{${proc}}`]: '100x30', [`process_max_fds{${proc}}`]: '1000x30' },
            at: '20m',
            alerts: [],
          },
        },
        {
          alert: 'NodeProcessRestarting',
          expr: `sum by (${BY}) (changes(process_start_time_seconds[30m])) > 2`,
          for: '1m',
          severity: 'warning',
          summary: 'Process restarting repeatedly',
          description: '{{ $labels.job }} {{ $labels.instance }} restarted {{ $value | printf "%.0f" }} times in 30 minutes',
          impact: 'Each restart drops in-flight work, resets caches and counters, and an operator re-lists everything it watches.',
          diagnosis: [{ title: 'Resident memory before the restarts', expr: `max by (${BY}) (max_over_time(process_resident_memory_bytes[30m]))` }],
          runbook:
            'Look at why the container ended: `kubectl describe pod` shows OOMKilled (raise the limit or find the leak in the ' +
            "memory panel) or a failing liveness probe (see event loop lag); the previous container's log (`kubectl logs -p`) " +
            'shows a crash.',
          fires: {
            name: 'restarts every 6 minutes',
            series: { [`process_start_time_seconds{${proc}}`]: '100x5 200x5 300x5 400x5' },
            at: '20m',
            alerts: [{ labels: { job: 'svc', instance: '10.0.0.1:9464' }, value: 3 }],
          },
          quiet: { name: 'no restart', series: { [`process_start_time_seconds{${proc}}`]: '100x30' }, at: '20m', alerts: [] },
        },
      ],
    },
  ],
});
