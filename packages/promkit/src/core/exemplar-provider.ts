import type { LabelValue } from './label-values.js';

/**
 * Supplies exemplar labels (e.g. the active span's trace_id) for metrics created with
 * `enableExemplars: true` when a write passes none. The core stays dependency-free:
 * promkit/tracing installs a provider that reads OpenTelemetry's active span.
 */
export type ExemplarProvider = () => Readonly<Record<string, LabelValue>> | undefined;

let provider: ExemplarProvider | undefined;

/** Installs (or with undefined removes) the process-wide provider; returns the previous one. */
export function setExemplarProvider(next: ExemplarProvider | undefined): ExemplarProvider | undefined {
  const previous = provider;
  provider = next;
  return previous;
}

/** The provider's labels; a throwing provider gives none, so a metric write never fails because of it. */
export function currentExemplar(): Readonly<Record<string, LabelValue>> | undefined {
  if (provider === undefined) return undefined;
  try {
    return provider();
  } catch {
    return undefined;
  }
}
