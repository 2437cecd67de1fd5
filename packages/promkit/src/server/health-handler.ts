import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HealthState } from './health-state.js';
import { allowGetOnly, replyJson } from './http-reply.js';

/** `{status, uptime, endpoints}` with 200 when ready, 503 otherwise. */
export function serveHealth(health: HealthState, req: IncomingMessage, res: ServerResponse): void {
  if (!allowGetOnly(req, res)) return;
  const snapshot = health.snapshot();
  replyJson(req, res, snapshot.status === 'ready' ? 200 : 503, snapshot);
}

/** 200 for as long as the process answers HTTP at all. */
export function serveLive(health: HealthState, req: IncomingMessage, res: ServerResponse): void {
  if (!allowGetOnly(req, res)) return;
  replyJson(req, res, 200, { status: 'live', uptime: health.uptimeSeconds() });
}
