/** HTML of the dashboard preview: the index, and one page per dashboard with its JSON embedded. */

export interface PreviewDashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  /** The generated Grafana dashboard JSON. */
  readonly json: string;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON inside <script> must not close the element. */
const embed = (json: string): string => json.replace(/</g, '\\u003c');

const STYLE = `
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; background: #111217; color: #d8d9da; }
header { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; padding: 10px 16px; background: #181b1f; border-bottom: 1px solid #2c3235; }
header h1 { font-size: 18px; margin: 0 16px 0 0; }
header a { color: #6e9fff; }
select { background: #22252b; color: #d8d9da; border: 1px solid #2c3235; }
#alerts { color: #f2495c; font-weight: 600; }
#panels { display: grid; grid-template-columns: repeat(24, 1fr); gap: 8px; padding: 8px 16px; }
h2.row { grid-column: span 24; font-size: 15px; margin: 12px 0 0; }
section.panel { background: #181b1f; border: 1px solid #2c3235; border-radius: 3px; padding: 6px 8px; min-height: 120px; overflow: hidden; }
section.panel h3 { font-size: 13px; margin: 0 0 4px; }
.status { color: #ff9830; } section[data-state=error] .status { color: #f2495c; }
.stat { display: inline-block; margin: 8px 16px 0 0; } .stat .value { font-size: 28px; color: #73bf69; } .stat .label { display: block; font-size: 11px; }
table { border-collapse: collapse; width: 100%; font-size: 12px; } th, td { text-align: left; padding: 2px 6px; border-bottom: 1px solid #2c3235; } td.num { text-align: right; }
.exemplars { font-size: 11px; color: #8e8e8e; }
.u-legend { font-size: 11px; } .u-legend .u-marker { width: 10px; height: 3px; }
ul.dashboards li { margin: 8px 0; }
`;

export function indexPage(dashboards: readonly PreviewDashboard[]): string {
  const items = dashboards
    .map((d) => `<li><a href="/d/${encodeURIComponent(d.uid)}">${escapeHtml(d.title)}</a> — ${escapeHtml(d.description)}</li>`)
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>promkit dashboards</title><style>${STYLE}</style></head>
<body><header><h1>promkit dashboard preview</h1><span>generated dashboards, rendered against the demo's Prometheus (Grafana remains the real target: deploy/)</span></header>
<main style="padding: 8px 16px"><ul class="dashboards">${items}</ul></main></body></html>`;
}

export function dashboardPage(d: PreviewDashboard, config: { scrapeIntervalSeconds: number }): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(d.title)} · promkit preview</title>
<link rel="stylesheet" href="/uplot/uPlot.min.css"><style>${STYLE}</style></head>
<body><header><h1>${escapeHtml(d.title)}</h1><a href="/">all dashboards</a>
<label>Range <select id="range"><option value="300">5m</option><option value="900" selected>15m</option><option value="3600">1h</option><option value="21600">6h</option></select></label>
<span id="variables"></span><span id="alerts"></span></header>
<div id="panels"></div>
<script type="application/json" id="dashboard">${embed(d.json)}</script>
<script type="application/json" id="preview-config">${embed(JSON.stringify(config))}</script>
<script src="/uplot/uPlot.iife.min.js"></script><script src="/preview.js"></script></body></html>`;
}
