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

/**
 * What ends the run: a signal, the parent's exit, or the --duration timer. Signal handlers go
 * in before anything starts, so a signal during start-up (while Prometheus is being spawned)
 * is remembered and acted on once start-up returns, instead of killing the demo and leaving
 * its children behind with their ports bound.
 */
function stopTrigger(): {
  stopped: Promise<string>;
  /** What stopped the run, once something has. */
  readonly reason: string | undefined;
  watch(options: DemoOptions, demo: RunningDemo, isStopping: () => boolean): void;
  cancel(): void;
} {
  let reason: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopWatching = (): void => {};
  let resolveStopped!: (reason: string) => void;
  const stopped = new Promise<string>((resolve) => (resolveStopped = resolve));
  const handlers = { SIGINT: () => done('SIGINT'), SIGTERM: () => done('SIGTERM'), SIGHUP: () => done('SIGHUP') };
  const release = () => {
    clearTimeout(timer);
    stopWatching();
    for (const s of SIGNALS) process.off(s, handlers[s]);
  };
  const done = (why: string) => {
    release();
    for (const s of SIGNALS) process.once(s, exitNow);
    reason = why;
    resolveStopped(why);
  };
  for (const s of SIGNALS) process.once(s, handlers[s]);
  return {
    stopped,
    get reason() {
      return reason;
    },
    watch(options, demo, isStopping) {
      stopWatching = watchParent(() => done('parent process exited'));
      if (options.durationSeconds !== undefined) timer = setTimeout(() => done(`--duration ${options.durationSeconds}`), options.durationSeconds * 1000);
      void demo.prometheus?.prometheus.whenExited().then(() => {
        if (!isStopping()) process.stderr.write(`\npromkit-demo: prometheus exited; see ${demo.prometheus!.logFile}\n`);
      });
    },
    cancel: release,
  };
}

/** Runs the demo; bad flags throw a UsageError (exit 2, printed by runCommand with the usage). */
export async function runDemoCommand(argv: readonly string[]): Promise<number> {
  const options: DemoOptions = parseDemoOptions([...argv]);

  // With the parent gone, stdout/stderr may be pipes nobody reads: a write must not crash the stop.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

  const trigger = stopTrigger();
  let demo: RunningDemo;
  try {
    demo = await startDemo({ ...options, log: stderrLog });
  } catch (error) {
    trigger.cancel();
    for (const s of SIGNALS) process.off(s, exitNow);
    process.stderr.write(`promkit-demo: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  let stopping = false;
  let summary: { stop(): void } | undefined;
  // A signal during start-up: stop at once, without the banner or the live summary.
  if (trigger.reason === undefined) {
    trigger.watch(options, demo, () => stopping);
    summary = options.quiet ? undefined : startLiveSummary(demo.operator.registries);
    if (!options.quiet) process.stdout.write(bannerText(demo));
  }
  const reason = await trigger.stopped;
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
