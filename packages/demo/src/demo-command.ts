/**
 * `promkit-demo` (what `npm start` runs): starts the demo, prints the banner and a live
 * summary, and on Ctrl-C (SIGINT/SIGTERM/SIGHUP), when the process that started it dies,
 * or after --duration stops every server and child process. Exit codes: 0 after a clean stop, 1 when starting failed (e.g. a port in use),
 * 2 for bad flags.
 */
import { bannerText } from './demo/banner.js';
import { startLiveSummary } from './demo/live-summary.js';
import type { DemoLog } from './demo/operator-contract.js';
import { parseDemoOptions, type DemoOptions } from './demo/options.js';
import { watchParent } from './demo/parent-watch.js';
import { startDemo, type RunningDemo } from './demo/start-demo.js';

/** Warnings and errors of the demo itself go to stderr; everything is in <state dir>/demo.log. */
const stderrLog: DemoLog = (level, message) => process.stderr.write(`\n[${level}] ${message}\n`);

// SIGHUP: the terminal closed. Its default action would kill the demo without stopping Prometheus.
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** While stopping, a second Ctrl-C means "now". */
const exitNow = (): never => process.exit(130);

/** Resolves with what ended the run: a signal, or the --duration timer. */
function untilStopped(options: DemoOptions, demo: RunningDemo, isStopping: () => boolean): Promise<string> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const stopWatching = watchParent(() => done('parent process exited'));
    const done = (reason: string) => {
      clearTimeout(timer);
      stopWatching();
      for (const s of SIGNALS) process.off(s, handlers[s]);
      for (const s of SIGNALS) process.once(s, exitNow);
      resolve(reason);
    };
    const handlers = { SIGINT: () => done('SIGINT'), SIGTERM: () => done('SIGTERM'), SIGHUP: () => done('SIGHUP') };
    for (const s of SIGNALS) process.once(s, handlers[s]);
    if (options.durationSeconds !== undefined) timer = setTimeout(() => done(`--duration ${options.durationSeconds}`), options.durationSeconds * 1000);
    void demo.prometheus?.prometheus.whenExited().then(() => {
      if (!isStopping()) process.stderr.write(`\npromkit-demo: prometheus exited; see ${demo.prometheus!.logFile}\n`);
    });
  });
}

/** Runs the demo; bad flags throw a UsageError (exit 2, printed by runCommand with the usage). */
export async function runDemoCommand(argv: readonly string[]): Promise<number> {
  const options: DemoOptions = parseDemoOptions([...argv]);

  // With the parent gone, stdout/stderr may be pipes nobody reads: a write must not crash the stop.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

  let demo: RunningDemo;
  try {
    demo = await startDemo({ ...options, log: stderrLog });
  } catch (error) {
    process.stderr.write(`promkit-demo: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const summary = options.quiet ? undefined : startLiveSummary(demo.operator.registries);
  let stopping = false;
  // The handlers go in before the banner: writes to a pipe are synchronous, so whoever reads
  // the banner may signal at once, and a SIGHUP with no handler would kill the demo outright.
  const stopped = untilStopped(options, demo, () => stopping);
  if (!options.quiet) process.stdout.write(bannerText(demo));
  const reason = await stopped;
  stopping = true;
  summary?.stop();
  if (!options.quiet) process.stdout.write(`stopping (${reason})…\n`);
  try {
    await demo.stop();
  } catch (error) {
    process.stderr.write(`promkit-demo: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    for (const s of SIGNALS) process.off(s, exitNow);
  }
  if (!options.quiet) process.stdout.write(`stopped; Prometheus config and state kept in ${options.stateDir}\n`);
  return 0;
}
