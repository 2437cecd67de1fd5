/**
 * Child process: scenario 6 for one library in a fresh process, so heap numbers are not
 * polluted by the other libraries. Usage: scrape-memory-child.ts <library>; prints one
 * JSON line. Needs node --expose-gc.
 */
import { LIBRARY_IDS, loadLibrary, type LibraryId } from './libraries.js';
import { measureScrape } from './scenarios/scrape.js';

const [libraryId] = process.argv.slice(2);
if (!(LIBRARY_IDS as readonly string[]).includes(libraryId)) throw new Error(`unknown library '${libraryId}' (known: ${LIBRARY_IDS.join(', ')})`);

const lib = await loadLibrary(libraryId as LibraryId);
const result = await measureScrape(lib);
process.stdout.write(`${JSON.stringify(result)}\n`);
