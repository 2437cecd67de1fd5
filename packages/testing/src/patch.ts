/**
 * Patch documents: JSON merge patch (RFC 7386) and JSON patch (RFC 6902). Strategic merge
 * patch is applied as a merge patch (see `applyPatch`).
 */
import { isDeepStrictEqual } from 'node:util';
import { ApiError, badRequest, failureStatus } from './status.js';

/** The patch media types the API server accepts. */
export type PatchType =
  | 'application/merge-patch+json'
  | 'application/json-patch+json'
  | 'application/strategic-merge-patch+json'
  | 'application/apply-patch+yaml';

export const PATCH_TYPES: readonly PatchType[] = [
  'application/merge-patch+json',
  'application/json-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** RFC 7386: objects merge recursively, `null` deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** One RFC 6902 operation. */
export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

function unprocessable(message: string): ApiError {
  return new ApiError(failureStatus(422, message, 'Invalid'));
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw unprocessable(`json patch: invalid pointer '${pointer}': must start with '/'`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

/** Resolves all but the last token; returns the parent container and the last token. */
function locate(doc: unknown, tokens: string[], pointer: string): { parent: Container; key: string } {
  let cur: unknown = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, token, pointer, false)];
    else if (isPlainObject(cur) && Object.hasOwn(cur, token)) cur = cur[token];
    else throw unprocessable(`json patch: path '${pointer}' does not exist`);
  }
  if (!Array.isArray(cur) && !isPlainObject(cur)) throw unprocessable(`json patch: path '${pointer}' does not exist`);
  return { parent: cur, key: tokens[tokens.length - 1]! };
}

function arrayIndex(arr: unknown[], token: string, pointer: string, forInsert: boolean): number {
  if (forInsert && token === '-') return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw unprocessable(`json patch: invalid array index '${token}' in '${pointer}'`);
  const i = Number(token);
  if (i > arr.length || (!forInsert && i === arr.length)) {
    throw unprocessable(`json patch: array index ${i} out of range in '${pointer}'`);
  }
  return i;
}

function getAt(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return doc;
  const { parent, key } = locate(doc, tokens, pointer);
  if (Array.isArray(parent)) return parent[arrayIndex(parent, key, pointer, false)];
  if (!Object.hasOwn(parent, key)) throw unprocessable(`json patch: path '${pointer}' does not exist`);
  return parent[key];
}

function removeAt(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw unprocessable('json patch: cannot remove the whole document');
  const { parent, key } = locate(doc, tokens, pointer);
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, key, pointer, false), 1)[0];
  if (!Object.hasOwn(parent, key)) throw unprocessable(`json patch: path '${pointer}' does not exist`);
  const old = parent[key];
  delete parent[key];
  return old;
}

function addAt(doc: unknown, pointer: string, value: unknown, replace: boolean): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, key } = locate(doc, tokens, pointer);
  if (Array.isArray(parent)) {
    const i = arrayIndex(parent, key, pointer, !replace);
    parent.splice(i, replace ? 1 : 0, value);
  } else {
    if (replace && !Object.hasOwn(parent, key)) {
      throw unprocessable(`json patch: path '${pointer}' does not exist`);
    }
    parent[key] = value;
  }
  return doc;
}

/** RFC 6902. Throws 422 when an operation cannot apply, 400 when the document is malformed. */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest('json patch: the patch document must be a JSON array of operations');
  let doc = structuredClone(target);
  for (const raw of ops) {
    if (!isPlainObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw badRequest(`json patch: malformed operation ${JSON.stringify(raw)}: needs string 'op' and 'path'`);
    }
    const op = raw as unknown as JsonPatchOperation;
    const needsValue = op.op === 'add' || op.op === 'replace' || op.op === 'test';
    if (needsValue && !('value' in raw)) throw badRequest(`json patch: '${op.op}' at '${op.path}' needs a 'value'`);
    switch (op.op) {
      case 'add':
        doc = addAt(doc, op.path, structuredClone(op.value), false);
        break;
      case 'replace':
        doc = addAt(doc, op.path, structuredClone(op.value), true);
        break;
      case 'remove':
        removeAt(doc, op.path);
        break;
      case 'move':
      case 'copy': {
        if (typeof op.from !== 'string') throw badRequest(`json patch: '${op.op}' at '${op.path}' needs a 'from'`);
        const value = op.op === 'move' ? removeAt(doc, op.from) : structuredClone(getAt(doc, op.from));
        doc = addAt(doc, op.path, value, false);
        break;
      }
      case 'test':
        if (!isDeepStrictEqual(getAt(doc, op.path), op.value)) {
          throw unprocessable(`json patch: test failed at '${op.path}'`);
        }
        break;
      default:
        throw badRequest(`json patch: unknown op '${String((raw as { op: unknown }).op)}'`);
    }
  }
  return doc;
}

/**
 * Applies `patch` of media type `type` to `target` and returns the new document.
 * Strategic merge and apply patches are treated as JSON merge patches: lists are replaced
 * rather than merged by key (a known difference from the real server).
 */
export function applyPatch(type: PatchType, target: unknown, patch: unknown): unknown {
  if (type === 'application/json-patch+json') return jsonPatch(target, patch);
  if (!isPlainObject(patch)) throw badRequest(`${type}: the patch document must be a JSON object`);
  return mergePatch(target, patch);
}
