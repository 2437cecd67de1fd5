export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
/** Delimited io.prometheus.client.MetricFamily messages (binary; see protobuf-encoder.ts). */
export const PROTOBUF_CONTENT_TYPE = 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

export type ExpositionFormat = 'prometheus' | 'openmetrics';

export function contentTypeOf(format: ExpositionFormat): string {
  return format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE;
}

/** Maps a content type (as prom-client's Registry takes it) to a format, or throws. */
export function formatOfContentType(contentType: string): ExpositionFormat {
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/openmetrics-text') return 'openmetrics';
  if (mediaType === 'text/plain') return 'prometheus';
  throw new TypeError(`unsupported content type '${contentType}': use '${PROMETHEUS_CONTENT_TYPE}' or '${OPENMETRICS_CONTENT_TYPE}'`);
}
