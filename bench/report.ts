/** Turns measurements into the Markdown results table (one job: formatting and goal checks). */
import { cpus, loadavg } from 'node:os';
import { LIBRARY_IDS, type LibraryId } from './libraries.js';

export type PerLibrary = Record<LibraryId, number>;
const PEERS = LIBRARY_IDS.filter((id) => id !== 'promkit');

export interface Row {
  scenario: string;
  cells: Record<LibraryId, string>;
  /** How many times better promkit is than the better of the two peers. */
  ratio: number;
  goal: string;
  met: boolean;
}

function sig(x: number, digits = 3): string {
  if (x === 0) return '0';
  return x >= 10 ** digits ? Math.round(x).toLocaleString('en-US') : Number(x.toPrecision(digits)).toString();
}

function opsPerSecond(nsPerOp: number): string {
  const ops = 1e9 / nsPerOp;
  return ops >= 1e6 ? `${sig(ops / 1e6)} M/s` : `${sig(ops / 1e3)} k/s`;
}

/** Lower is better for every measurement here; ratio = best peer / promkit. */
function ratioVsBestPeer(values: PerLibrary): number {
  return Math.min(...PEERS.map((p) => values[p])) / values.promkit;
}

function cellsOf(values: PerLibrary, format: (v: number, id: LibraryId) => string): Record<LibraryId, string> {
  return Object.fromEntries(LIBRARY_IDS.map((id) => [id, format(values[id], id)])) as Record<LibraryId, string>;
}

export function speedRow(scenario: string, nsPerOp: PerLibrary, goalRatio: number): Row {
  const ratio = ratioVsBestPeer(nsPerOp);
  return { scenario, cells: cellsOf(nsPerOp, (ns) => `${sig(ns)} ns (${opsPerSecond(ns)})`), ratio, goal: `≥ ${goalRatio}x`, met: ratio >= goalRatio };
}

export function scrapeTimeRow(ms: PerLibrary, goalRatio: number): Row {
  const ratio = ratioVsBestPeer(ms);
  return {
    scenario: '`registry.metrics()` time, 110k series',
    cells: cellsOf(ms, (v) => `${sig(v)} ms`),
    ratio,
    goal: `≥ ${goalRatio}x`,
    met: ratio >= goalRatio,
  };
}

export function stallRow(medianMs: PerLibrary, worstMs: PerLibrary, goalRatio: number, limitMs: number): Row {
  const ratio = ratioVsBestPeer(medianMs);
  return {
    scenario: 'longest event-loop stall during a scrape (median; worst)',
    cells: cellsOf(medianMs, (v, id) => `${sig(v)} ms; ${sig(worstMs[id])} ms`),
    ratio,
    goal: `≥ ${goalRatio}x and < ${limitMs} ms`,
    met: ratio >= goalRatio && medianMs.promkit < limitMs,
  };
}

export function heapRow(bytes: PerLibrary, goalRatio: number, series: number): Row {
  const ratio = ratioVsBestPeer(bytes);
  return {
    scenario: `heap held by ${series / 1000}k series`,
    cells: cellsOf(bytes, (b) => `${sig(b / 2 ** 20)} MiB (${Math.round(b / series)} B/series)`),
    ratio,
    goal: `≥ ${goalRatio}x smaller`,
    met: ratio >= goalRatio,
  };
}

/** Not a goal: shows the three scrapes carry the same content. */
export function exposedSizeRow(bytes: PerLibrary, samples: PerLibrary): Row {
  return {
    scenario: 'exposition size per scrape (info)',
    cells: cellsOf(bytes, (b, id) => `${sig(b / 1e6)} MB, ${samples[id].toLocaleString('en-US')} samples`),
    ratio: NaN,
    goal: '—',
    met: true,
  };
}

export function markdownTable(rows: readonly Row[]): string {
  const header = ['scenario', ...LIBRARY_IDS, 'ratio vs faster peer', 'goal', 'met?'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const ratio = Number.isNaN(r.ratio) ? '—' : `${sig(r.ratio)}x`;
    const met = r.goal === '—' ? '—' : r.met ? '✅ yes' : '❌ no';
    lines.push(`| ${[r.scenario, ...LIBRARY_IDS.map((id) => r.cells[id]), ratio, r.goal, met].join(' | ')} |`);
  }
  return lines.join('\n');
}

export interface MachineInfo {
  node: string;
  cpu: string;
  cores: number;
  date: string;
  loadAtStart: string;
  versions: Record<LibraryId, string>;
}

export function machineInfo(versions: Record<LibraryId, string>): MachineInfo {
  const cores = cpus();
  return {
    node: process.version,
    cpu: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
    date: new Date().toISOString(),
    loadAtStart: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    versions,
  };
}

export function machineInfoMarkdown(info: MachineInfo, durationS: number): string {
  const busiest = Math.max(Number(info.loadAtStart.split(' ')[0]), loadavg()[0]);
  const busy =
    busiest > info.cores
      ? [
          `- ⚠ the machine was busy (1-min load ${busiest.toFixed(1)} on ${info.cores} cores): wall-clock times include waiting for a CPU; the CPU-time table is the steadier one`,
        ]
      : [];
  return [
    `- date: ${info.date}`,
    `- node: ${info.node}, CPU: ${info.cpu} × ${info.cores}`,
    `- versions: ${LIBRARY_IDS.map((id) => `${id} ${info.versions[id]}`).join(', ')}`,
    `- load average (1/5/15 min) at start: ${info.loadAtStart}; at end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    `- run took ${durationS.toFixed(0)} s`,
    ...busy,
  ].join('\n');
}
