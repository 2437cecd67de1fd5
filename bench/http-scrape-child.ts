/** Child process: scenario 8 (HTTP gzip scrape) for one library. Usage: http-scrape-child.ts <library>; prints one JSON line. */
import { LIBRARY_IDS, loadLibrary, type LibraryId } from './libraries.js';
import { measureHttpScrape } from './scenarios/http-scrape.js';

const [libraryId] = process.argv.slice(2);
if (!(LIBRARY_IDS as readonly string[]).includes(libraryId)) throw new Error(`unknown library '${libraryId}' (known: ${LIBRARY_IDS.join(', ')})`);
const result = await measureHttpScrape(await loadLibrary(libraryId as LibraryId));
process.stdout.write(`${JSON.stringify(result)}\n`);
