/** Helpers for asserting on exposition by meaning (parsed), not by string. */
import { parseExposition, seriesKey, type ParsedExposition, type ParsedSample } from '../../src/exposition/parser.js';
import type { ExpositionFormat } from '../../src/exposition/content-types.js';
import type { Registry, ScrapeOptions } from '../../src/core/registry.js';

export { seriesKey };

/** Scrapes `registry` in `format` and parses the result (which must be well formed). */
export async function scrape(registry: Registry, format: ExpositionFormat = 'prometheus', options: ScrapeOptions = {}): Promise<ParsedExposition> {
  return parseExposition(await registry.metrics({ ...options, format }), format);
}

export function allSamples(parsed: ParsedExposition): ParsedSample[] {
  return parsed.families.flatMap((f) => f.samples);
}

/** Every sample as `seriesKey → value`. */
export function seriesValues(parsed: ParsedExposition): Map<string, number> {
  return new Map(allSamples(parsed).map((s) => [seriesKey(s.name, s.labels), s.value]));
}

/** The value of one sample, or undefined when the series is not exposed. */
export function sampleValue(parsed: ParsedExposition, name: string, labels: Record<string, string> = {}): number | undefined {
  return seriesValues(parsed).get(seriesKey(name, labels));
}

/** The one sample with this name and labels; throws when absent. */
export function sampleOf(parsed: ParsedExposition, name: string, labels: Record<string, string> = {}): ParsedSample {
  const key = seriesKey(name, labels);
  const found = allSamples(parsed).find((s) => seriesKey(s.name, s.labels) === key);
  if (found === undefined) throw new Error(`no sample ${key} in:\n${[...seriesValues(parsed).keys()].join('\n')}`);
  return found;
}

export function familyOf(parsed: ParsedExposition, name: string) {
  const family = parsed.families.find((f) => f.name === name);
  if (family === undefined) throw new Error(`no family '${name}' (families: ${parsed.families.map((f) => f.name).join(', ')})`);
  return family;
}
