/** Rows of scenario 8 (HTTP gzip scrape) and the table of promkit's compression variants. */
import { LIBRARY_IDS, type LibraryId } from './libraries.js';
import { median } from './harness.js';
import type { PerLibrary, Row } from './report.js';
import type { HttpScrapeResult } from './scenarios/http-scrape.js';

const PEERS = LIBRARY_IDS.filter((id) => id !== 'promkit');

function fmt(x: number): string {
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : Number(x.toPrecision(3)).toString();
}

function cells(values: PerLibrary, unit: string): Record<LibraryId, string> {
  return Object.fromEntries(LIBRARY_IDS.map((id) => [id, `${fmt(values[id])} ${unit}`])) as Record<LibraryId, string>;
}

/** The default variant per library (promkit's first variant is its default). */
export function httpRows(
  results: Record<LibraryId, HttpScrapeResult[]>,
  goals: { lastByte: number; stallMs: number; wireWithin: number },
  cpu: boolean,
): Row[] {
  const pick = (f: (r: HttpScrapeResult) => number): PerLibrary => Object.fromEntries(LIBRARY_IDS.map((id) => [id, f(results[id][0])])) as PerLibrary;
  const lastByte = pick((r) => median(cpu ? r.cpuMs : r.lastByteMs));
  const bestPeer = (v: PerLibrary): number => Math.min(...PEERS.map((p) => v[p]));
  const rows: Row[] = [
    {
      scenario: `gzip HTTP scrape, 110k series: ${cpu ? 'process CPU' : 'time to last byte'}`,
      cells: cells(lastByte, 'ms'),
      ratio: bestPeer(lastByte) / lastByte.promkit,
      goal: `≥ ${goals.lastByte}x`,
      met: bestPeer(lastByte) / lastByte.promkit >= goals.lastByte,
    },
  ];
  if (cpu) return rows;
  const stall = pick((r) => median(r.longestStallMs));
  const wire = pick((r) => r.wireBytes);
  const wireFactor = wire.promkit / Math.min(...PEERS.map((p) => wire[p]));
  rows.push(
    {
      scenario: 'gzip HTTP scrape: longest event-loop stall',
      cells: cells(stall, 'ms'),
      ratio: bestPeer(stall) / stall.promkit,
      goal: `< ${goals.stallMs} ms`,
      met: stall.promkit < goals.stallMs,
    },
    {
      scenario: 'gzip HTTP scrape: bytes on the wire',
      cells: Object.fromEntries(LIBRARY_IDS.map((id) => [id, `${fmt(wire[id] / 1e6)} MB`])) as Record<LibraryId, string>,
      ratio: 1 / wireFactor,
      goal: `within ${Math.round(goals.wireWithin * 100)}% of the peers'`,
      met: wireFactor <= 1 + goals.wireWithin,
    },
  );
  return rows;
}

/** promkit's compression variants side by side (level, compressing while encoding or after). */
export function httpVariantsTable(promkit: readonly HttpScrapeResult[]): string {
  const lines = ['| promkit variant | time to last byte | process CPU | longest stall | wire |', '|---|---|---|---|---|'];
  for (const r of promkit) {
    lines.push(
      `| ${r.variant} | ${fmt(median(r.lastByteMs))} ms | ${fmt(median(r.cpuMs))} ms | ${fmt(median(r.longestStallMs))} ms | ${fmt(r.wireBytes / 1e6)} MB |`,
    );
  }
  return lines.join('\n');
}
