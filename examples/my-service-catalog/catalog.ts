/**
 * A service's own catalog, written only against promkit's public API (`promkit/catalog`):
 * the metric families, the dashboard, the alerts with the histories that prove them, a
 * recording rule and the ServiceMonitor. Generate everything for it with
 *
 *   npm run generate -- --catalog examples/my-service-catalog/catalog.ts --out my-deploy --release kps
 *
 * from the repository root (`npx promkit generate …` where @promkit/monitoring is installed), or
 * `npm run generate -- --config examples/my-service-catalog/promkit.config.ts --out my-deploy`
 * (promkit.config.ts is read by default from the working directory; its outDir is relative to the config file).
 */
import { defineCatalog } from 'promkit/catalog';

const W = '$__rate_interval';
const svc = 'job="shop",instance="10.0.0.7:9464"';
const orders = (status: string) => `shop_orders_total{${svc},status="${status}"}`;
const checkout = (le: string) => `shop_checkout_duration_seconds_bucket{${svc},step="charge",le="${le}"}`;

export const shopCatalog = defineCatalog({
  id: 'shop',
  title: 'Shop Service',
  description: 'Orders, checkout latency, payment errors and queue depth of the shop service.',
  scrape: { job: 'shop', port: 9464, path: '/metrics' },
  monitor: {
    kind: 'ServiceMonitor',
    options: { namespace: 'shop', matchLabels: { 'app.kubernetes.io/name': 'shop' }, port: 'http-metrics', scheme: 'http', interval: '30s' },
  },
  metrics: {
    orders: {
      name: 'shop_orders_total',
      type: 'counter',
      help: 'Orders by final status',
      labelNames: ['status'] as const,
      labelValues: { status: ['paid', 'failed', 'cancelled'] },
    },
    checkoutDuration: {
      name: 'shop_checkout_duration_seconds',
      type: 'histogram',
      help: 'Time each checkout step took',
      labelNames: ['step'] as const,
      labelValues: { step: ['validate', 'charge', 'confirm'] },
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      bucketsRationale: 'Payment providers answer in 100 ms to a few seconds; our SLO is 2.5 s for the whole checkout.',
      unit: 'seconds',
    },
    paymentErrors: {
      name: 'shop_payment_errors_total',
      type: 'counter',
      help: 'Payment provider errors',
      labelNames: ['provider', 'reason'] as const,
      labelValues: { provider: ['stripe', 'adyen'], reason: ['declined', 'timeout', 'unavailable'] },
    },
    queueDepth: {
      name: 'shop_queue_depth',
      type: 'gauge',
      help: 'Messages waiting in each work queue',
      labelNames: ['queue'] as const,
      labelValues: { queue: ['fulfilment', 'emails'] },
    },
  },
  queries: [
    { title: 'Orders per second by status', expr: 'sum by (status) (rate(shop_orders_total[5m]))' },
    { title: 'Checkout p95 by step', expr: 'histogram_quantile(0.95, sum by (step, le) (rate(shop_checkout_duration_seconds_bucket[5m])))' },
  ],
  dashboard: {
    uid: 'shop-service',
    title: 'Shop Service',
    description: 'Orders, checkout latency, payment errors and queues.',
    tags: ['shop'],
    variables: [{ name: 'step', label: 'Checkout step', metric: 'shop_checkout_duration_seconds_bucket', multi: true }],
    rows: [
      {
        title: 'Orders',
        panels: [
          {
            kind: 'stat',
            title: 'Orders per minute',
            description: 'Orders reaching a final status.',
            unit: 'short',
            targets: [{ expr: `sum(rate(shop_orders_total[${W}])) * 60`, legend: 'orders' }],
          },
          {
            kind: 'gauge',
            title: 'Failed order ratio',
            description: 'Share of orders that failed (recorded by shop:orders_failed:ratio_rate5m).',
            unit: 'percentunit',
            min: 0,
            max: 1,
            targets: [{ expr: 'sum(shop:orders_failed:ratio_rate5m)', legend: 'failed' }],
            thresholds: {
              base: 'green',
              steps: [
                [0.05, 'orange'],
                [0.1, 'red'],
              ],
            },
          },
          {
            kind: 'timeseries',
            title: 'Orders by status',
            description: 'Orders per second by final status.',
            unit: 'ops',
            targets: [{ expr: `sum by (status) (rate(shop_orders_total[${W}]))`, legend: '{{status}}' }],
          },
        ],
      },
      {
        title: 'Checkout and payments',
        panels: [
          {
            kind: 'timeseries',
            title: 'Checkout latency p95',
            description: '95th percentile duration per checkout step; exemplars link a slow bucket to its trace.',
            unit: 's',
            targets: [
              { expr: `histogram_quantile(0.95, sum by (step, le) (rate(shop_checkout_duration_seconds_bucket{step=~"$step"}[${W}])))`, legend: '{{step}}' },
            ],
          },
          {
            kind: 'table',
            title: 'Payment errors by provider',
            description: 'Payment errors per second by provider and reason, at the end of the range.',
            unit: 'ops',
            targets: [{ expr: `sum by (provider, reason) (rate(shop_payment_errors_total[${W}]))`, legend: '{{provider}} {{reason}}' }],
          },
          {
            kind: 'timeseries',
            title: 'Queue depth',
            description: 'Messages waiting per queue; a steady climb means consumers fall behind.',
            unit: 'short',
            width: 24,
            targets: [{ expr: 'sum by (queue) (shop_queue_depth)', legend: '{{queue}}' }],
          },
        ],
      },
    ],
  },
  rules: [
    {
      name: 'shop',
      rules: [
        {
          record: 'shop:orders_failed:ratio_rate5m',
          expr: 'sum by (job) (rate(shop_orders_total{status="failed"}[5m])) / sum by (job) (rate(shop_orders_total[5m]))',
          description: 'Share of orders that failed over 5 minutes, per job: the dashboard gauge and the alert read it.',
          expect: {
            name: 'one order in four fails',
            series: { [orders('failed')]: '0+1x20', [orders('paid')]: '0+3x20' },
            at: '10m',
            samples: [{ labels: { job: 'shop' }, value: 0.25 }],
          },
        },
        {
          alert: 'ShopOrderFailuresHigh',
          expr: 'shop:orders_failed:ratio_rate5m > 0.1',
          for: '5m',
          severity: 'critical',
          summary: 'Many shop orders fail',
          description: '{{ $value | humanizePercentage }} of orders of {{ $labels.job }} fail',
          impact: 'Customers cannot buy: every failed order is lost revenue.',
          diagnosis: [{ title: 'Payment errors by provider and reason', expr: 'sum by (provider, reason) (rate(shop_payment_errors_total[5m]))' }],
          runbook:
            'If one provider dominates the payment errors, switch traffic to the other in the feature flags; "declined" is customers, "timeout"/"unavailable" is the provider.',
          fires: {
            name: 'one order in four fails',
            series: { [orders('failed')]: '0+1x20', [orders('paid')]: '0+3x20' },
            at: '15m',
            alerts: [{ labels: { job: 'shop' }, value: 0.25 }],
          },
          quiet: { name: 'one order in a hundred fails', series: { [orders('failed')]: '0+1x20', [orders('paid')]: '0+99x20' }, at: '15m', alerts: [] },
        },
        {
          alert: 'ShopCheckoutSlow',
          expr: 'histogram_quantile(0.95, sum by (job, step, le) (rate(shop_checkout_duration_seconds_bucket[5m]))) > 2.5',
          for: '10m',
          severity: 'warning',
          summary: 'Checkout slower than its SLO',
          description: '95th percentile {{ $labels.step }} step of {{ $labels.job }} takes {{ $value | humanize }}s',
          runbook: 'The charge step is the payment provider: check its status page. validate/confirm are our database.',
          fires: {
            name: 'charges take 5 to 10 seconds',
            series: { [checkout('2.5')]: '0x30', [checkout('5')]: '0x30', [checkout('10')]: '0+10x30', [checkout('+Inf')]: '0+10x30' },
            at: '25m',
            alerts: [{ labels: { job: 'shop', step: 'charge' }, value: 9.75 }],
          },
          quiet: {
            name: 'charges take under 250ms',
            series: {
              [checkout('0.25')]: '0+10x30',
              [checkout('2.5')]: '0+10x30',
              [checkout('5')]: '0+10x30',
              [checkout('10')]: '0+10x30',
              [checkout('+Inf')]: '0+10x30',
            },
            at: '25m',
            alerts: [],
          },
        },
        {
          alert: 'ShopQueueBacklog',
          expr: 'max by (job, queue) (shop_queue_depth) > 1000',
          for: '15m',
          severity: 'warning',
          summary: 'Shop work queue backing up',
          description: '{{ $value | printf "%.0f" }} messages wait in the {{ $labels.queue }} queue of {{ $labels.job }}',
          runbook: 'Scale the consumers of that queue; if they are up but slow, look at their downstream (mail provider, warehouse API).',
          fires: {
            name: '5000 messages waiting',
            series: { [`shop_queue_depth{${svc},queue="fulfilment"}`]: '5000x30' },
            at: '25m',
            alerts: [{ labels: { job: 'shop', queue: 'fulfilment' }, value: 5000 }],
          },
          quiet: { name: '10 messages waiting', series: { [`shop_queue_depth{${svc},queue="fulfilment"}`]: '10x30' }, at: '25m', alerts: [] },
        },
      ],
    },
  ],
});

export default shopCatalog;
