/** Tracing set up for one test file: spans kept in memory, and an OTLP/HTTP receiver. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { initTracing, type Tracing, type TracingOptions } from '../src/index.js';
import { waitUntil } from '@promkit/testing';

export interface MemoryTracing {
  tracing: Tracing;
  exporter: InMemorySpanExporter;
  /** Ended spans so far. */
  spans(): ReadableSpan[];
  /** Polls (no fixed sleep) until an ended span satisfies `match`. */
  waitForSpan(match: (span: ReadableSpan) => boolean, description: string): Promise<ReadableSpan>;
}

/** Tracing without export (env ignored) that keeps every ended span in memory. */
export function memoryTracing(options: TracingOptions = {}): MemoryTracing {
  const exporter = new InMemorySpanExporter();
  const tracing = initTracing({ env: {}, ...options, spanProcessors: [new SimpleSpanProcessor(exporter), ...(options.spanProcessors ?? [])] });
  const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
  return {
    tracing,
    exporter,
    spans,
    waitForSpan: (match, description) => waitUntil(() => spans().find(match), { timeoutMs: 5_000, intervalMs: 10, description }),
  };
}

/** A span as it arrived at the receiver, attributes flattened. */
export interface ReceivedSpan {
  service: string | undefined;
  /** Every attribute of the span's resource. */
  resource: Record<string, unknown>;
  scope: string | undefined;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  status: { code?: number; message?: string };
}

export interface OtlpReceiver {
  /** e.g. http://127.0.0.1:43121/v1/traces */
  readonly url: string;
  /** Requests received, as [path, content type]. */
  readonly requests: Array<{ path: string; contentType: string | undefined }>;
  spans(): ReceivedSpan[];
  close(): Promise<void>;
}

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type OtlpAttribute = { key: string; value: OtlpValue };

function attributeValue(v: OtlpValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.boolValue !== undefined) return v.boolValue;
  return v.doubleValue;
}

function attributesOf(list: OtlpAttribute[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((a) => [a.key, attributeValue(a.value)]));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Decodes one OTLP/HTTP JSON ExportTraceServiceRequest into flat spans. */
export function decodeTraceRequest(body: unknown): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of (body as { resourceSpans?: any[] }).resourceSpans ?? []) {
    const resource = attributesOf(rs.resource?.attributes);
    const service = resource['service.name'] as string | undefined;
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          service,
          resource,
          scope: ss.scope?.name,
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId || undefined,
          name: s.name,
          kind: s.kind,
          attributes: attributesOf(s.attributes),
          status: s.status ?? {},
        });
      }
    }
  }
  return out;
}

/**
 * An OTLP/HTTP receiver on loopback that accepts POST /v1/traces (JSON) and keeps what
 * arrives; `rejectWith` answers every export with that status instead.
 */
export async function startOtlpReceiver(options: { rejectWith?: number } = {}): Promise<OtlpReceiver> {
  const received: ReceivedSpan[] = [];
  const requests: OtlpReceiver['requests'] = [];
  const server: Server = createServer((req, res) => {
    readBody(req)
      .then((raw) => {
        requests.push({ path: req.url ?? '', contentType: req.headers['content-type'] });
        if (req.method !== 'POST' || req.url !== '/v1/traces' || options.rejectWith !== undefined) {
          res.writeHead(options.rejectWith ?? 404, { 'Content-Type': 'application/json' }).end('{"code":3,"message":"rejected by the test"}');
          return;
        }
        const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        received.push(...decodeTraceRequest(JSON.parse(body.toString('utf8'))));
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      })
      .catch(() => res.writeHead(400).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    requests,
    spans: () => [...received],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
