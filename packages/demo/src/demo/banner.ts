/** The banner `promkit demo` prints once everything runs: what runs where, and what to try. */
import { isAbsolute, relative } from 'node:path';
import type { RunningDemo } from './start-demo.js';

/** A path as the user would type it from the current directory. */
function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

const TRY_QUERY = 'sum by (resource_type, result) (rate(dynamo_operator_reconcile_total[1m]))';

export function bannerText(demo: RunningDemo, cwd: string = process.cwd()): string {
  const { endpoints: e, operator } = demo;
  const pad = (s: string, n: number) => s.padEnd(n);
  const row = (name: string, url: string, note: string) => `  ${pad(name, 20)}${pad(url, 34)}${note}`;
  const rules = demo.ruleFiles.length > 0 ? `, ${demo.ruleFiles.length} rule files` : '';
  const lines = [
    demo.mode === 'embedded'
      ? `promkit demo: reference operators on an embedded Kubernetes API (${operator.apiServerUrl})`
      : `promkit demo: reference operators watching ${operator.apiServerUrl} (no workload generator)`,
    '',
    row(e.dynamo.name, e.dynamo.url, `5 CRDs, webhook ${operator.webhooks.dynamo}`),
    row(e.datamover.name, e.datamover.url, 'backups: CreatingClonedPVC → CreatingPod → CleaningUp'),
    row(e.modal.name, e.modal.url, 'GPU jobs: queued → running → completed | failed'),
    row(e.runtime.name, e.runtime.url, 'system status server, also /health and /live'),
    demo.prometheus
      ? row('Prometheus', demo.prometheus.prometheus.url, `config ${shown(demo.prometheusConfig, cwd)}${rules}`)
      : row('Prometheus', `${demo.prometheusNote ?? 'not started'}`, ` config ${shown(demo.prometheusConfig, cwd)}${rules}`),
    demo.dashboards
      ? row('Dashboards', demo.dashboards.url, `${demo.dashboards.dashboards.length} generated dashboards, live preview`)
      : row('Dashboards', demo.dashboardsNote ?? 'not served', ''),
    '',
    `  try:      curl -s ${e.dynamo.url} | grep dynamo_operator_reconcile_total`,
  ];
  if (demo.prometheus) lines.push(`  query:    ${demo.prometheus.prometheus.url}/graph?g0.expr=${encodeURIComponent(TRY_QUERY)}&g0.tab=0`);
  else lines.push(`  scrape:   prometheus --config.file=${shown(demo.prometheusConfig, cwd)}`);
  if (demo.rulesNote) lines.push(`  rules:    ${demo.rulesNote}`);
  lines.push(`  logs:     ${shown(demo.logFile, cwd)}   (DYN_LOG=debug for every reconcile)`);
  if (demo.kubeconfigPath) lines.push(`  kubectl:  kubectl --kubeconfig ${shown(demo.kubeconfigPath, cwd)} get dgd,dcd,dgdr,datamovers,modaljobs -A`);
  if (demo.mode === 'embedded') {
    lines.push(`  workload: namespaces ${operator.namespaces.join(', ')}; a few changes a second, with failures on purpose`);
  } else {
    lines.push(`  CRDs:     kubectl apply -f ${shown(demo.crdsPath, cwd)}   (webhooks listen on loopback over HTTP; the API server will not call them)`);
  }
  lines.push('  Ctrl-C stops everything.', '');
  return lines.join('\n');
}
