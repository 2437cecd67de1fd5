/** Child process: scenario 7 (worker threads / cluster) for one library. Usage: workers-child.ts <library>; prints one JSON line. */
import { LIBRARY_IDS, type LibraryId } from './libraries.js';
import { measureWorkers } from './scenarios/workers.js';

const [libraryId] = process.argv.slice(2);
if (!(LIBRARY_IDS as readonly string[]).includes(libraryId)) throw new Error(`unknown library '${libraryId}' (known: ${LIBRARY_IDS.join(', ')})`);
const result = await measureWorkers(libraryId as LibraryId);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
