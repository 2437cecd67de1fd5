/** Child process: native vs classic observe() and protobuf vs text scrape (promkit only). Prints one JSON line. */
import { measureObserve, measureScrapeFormats } from './scenarios/native-protobuf.js';

/** 1M observe()s per timed repetition (3 interleaved rounds × 3): ~1 s; the scrapes: 3 of each format. */
const observe = measureObserve(1_000_000, 3);
const scrape = await measureScrapeFormats(3);
process.stdout.write(`${JSON.stringify({ observe, scrape })}\n`);
process.exit(0);
