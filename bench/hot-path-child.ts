/**
 * Child process: times one hot-path scenario for one library, so each measurement gets a
 * fresh JIT and heap. Usage: hot-path-child.ts <library> <scenario>; prints one JSON line.
 */
import { measureOps } from './harness.js';
import { LIBRARY_IDS, loadLibrary, type LibraryId } from './libraries.js';
import { HOT_PATH_SCENARIOS } from './scenarios/hot-path.js';

const [libraryId, scenarioId] = process.argv.slice(2);
if (!(LIBRARY_IDS as readonly string[]).includes(libraryId)) throw new Error(`unknown library '${libraryId}' (known: ${LIBRARY_IDS.join(', ')})`);
const scenario = HOT_PATH_SCENARIOS.find((s) => s.id === scenarioId);
if (scenario === undefined) throw new Error(`unknown scenario '${scenarioId}' (known: ${HOT_PATH_SCENARIOS.map((s) => s.id).join(', ')})`);

const lib = await loadLibrary(libraryId as LibraryId);
const prepared = scenario.prepare(lib);
const result = measureOps((n) => prepared.batch(n));
await prepared.verify();
process.stdout.write(`${JSON.stringify(result)}\n`);
