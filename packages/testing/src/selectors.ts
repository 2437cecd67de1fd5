/**
 * `labelSelector` and `fieldSelector` query parameters, parsed and matched the way the
 * API server does (equality and set-based label requirements; equality field requirements).
 */
import { badRequest } from './status.js';

type LabelOp = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

interface LabelRequirement {
  key: string;
  op: LabelOp;
  values: string[];
}

/** A parsed label selector; the empty selector matches everything. */
export interface LabelSelector {
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
}

/** Splits on commas that are not inside `( … )`. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const KEY = '[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?';
const VALUE = '([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?';
const EQUALITY = new RegExp(String.raw`^(${KEY})\s*(==|=|!=)\s*(${VALUE})$`);
const SET = new RegExp(String.raw`^(${KEY})\s+(in|notin)\s+\(([^)]*)\)$`);
const EXISTS = new RegExp(String.raw`^(!?)\s*(${KEY})$`);
const COMPARE = new RegExp(String.raw`^(${KEY})\s*([<>])\s*(-?[0-9]+)$`);

function parseLabelRequirement(text: string): LabelRequirement {
  let m = EQUALITY.exec(text);
  if (m) return { key: m[1]!, op: m[3] === '!=' ? '!=' : '=', values: [m[4] ?? ''] };
  m = SET.exec(text);
  if (m) {
    const values = m[4]!.split(',').map((v) => v.trim());
    return { key: m[1]!, op: m[3] as 'in' | 'notin', values };
  }
  m = COMPARE.exec(text);
  if (m) return { key: m[1]!, op: m[3] === '>' ? 'gt' : 'lt', values: [m[4]!] };
  m = EXISTS.exec(text);
  if (m) return { key: m[2]!, op: m[1] ? '!' : 'exists', values: [] };
  throw badRequest(`unable to parse requirement: invalid label selector requirement '${text}'`);
}

function matchRequirement(req: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, req.key);
  const value = labels[req.key];
  switch (req.op) {
    case '=':
      return has && value === req.values[0];
    case '!=':
      return !has || value !== req.values[0];
    case 'in':
      return has && req.values.includes(value!);
    case 'notin':
      return !has || !req.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !/^-?[0-9]+$/.test(value!)) return false;
      const n = Number(value);
      const bound = Number(req.values[0]);
      return req.op === 'gt' ? n > bound : n < bound;
    }
  }
}

/** Parses a `labelSelector` query value; throws a 400 ApiError on bad syntax. */
export function parseLabelSelector(text: string | null | undefined): LabelSelector {
  const requirements = text ? splitTopLevel(text).map(parseLabelRequirement) : [];
  return {
    matches: (labels) => requirements.every((r) => matchRequirement(r, labels ?? {})),
  };
}

/** A parsed field selector. */
export interface FieldSelector {
  matches(obj: unknown): boolean;
  /** The value required for `field` by an `=` term, if any (used to narrow lookups). */
  required(field: string): string | undefined;
}

interface FieldRequirement {
  field: string;
  negate: boolean;
  value: string;
}

/** Reads a dotted path such as `status.phase` from an object, as a string. */
export function readField(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

/**
 * Parses a `fieldSelector`. Only `metadata.name`, `metadata.namespace` and the resource's
 * `selectable` fields are accepted, like the real server (400 "field label not supported").
 */
export function parseFieldSelector(text: string | null | undefined, selectable: readonly string[]): FieldSelector {
  const allowed = new Set(['metadata.name', 'metadata.namespace', ...selectable]);
  const requirements: FieldRequirement[] = [];
  for (const term of text ? splitTopLevel(text) : []) {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${term}'; can't understand '${term}'`);
    const field = m[1]!.trim();
    if (!allowed.has(field)) {
      throw badRequest(`field label not supported: ${field}`);
    }
    requirements.push({ field, negate: m[2] === '!=', value: m[3]!.trim() });
  }
  return {
    matches: (obj) => requirements.every((r) => (readField(obj, r.field) === r.value) !== r.negate),
    required: (field) => requirements.find((r) => r.field === field && !r.negate)?.value,
  };
}
