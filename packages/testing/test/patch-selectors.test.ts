/** The pure pieces of LocalApiServer: patch application and selector parsing. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, jsonPatch, mergePatch, parseFieldSelector, parseLabelSelector } from '../src/index.js';

const code = (fn: () => unknown): number => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err.code;
    throw err;
  }
  return 0;
};

describe('mergePatch (RFC 7386)', () => {
  it('merges objects, deletes on null and replaces arrays', () => {
    const target = { a: { b: 1, c: 2 }, list: [1, 2], keep: true };
    assert.deepEqual(mergePatch(target, { a: { b: null, d: 3 }, list: [3] }), { a: { c: 2, d: 3 }, list: [3], keep: true });
    assert.deepEqual(target, { a: { b: 1, c: 2 }, list: [1, 2], keep: true }, 'the target is not mutated');
  });
});

describe('jsonPatch (RFC 6902)', () => {
  const doc = { metadata: { name: 'x', 'a/b': 1 }, spec: { items: ['p', 'q'] } };

  it('applies add, remove, replace, move, copy and test', () => {
    const out = jsonPatch(doc, [
      { op: 'add', path: '/spec/items/-', value: 'r' },
      { op: 'add', path: '/spec/items/0', value: 'o' },
      { op: 'remove', path: '/metadata/a~1b' },
      { op: 'replace', path: '/metadata/name', value: 'y' },
      { op: 'copy', from: '/metadata/name', path: '/spec/copied' },
      { op: 'move', from: '/spec/copied', path: '/spec/moved' },
      { op: 'test', path: '/spec/items/3', value: 'r' },
    ]);
    assert.deepEqual(out, { metadata: { name: 'y' }, spec: { items: ['o', 'p', 'q', 'r'], moved: 'y' } });
    assert.deepEqual(doc.spec.items, ['p', 'q'], 'the target is not mutated');
  });

  it('answers 422 for operations that cannot apply and 400 for malformed patches', () => {
    assert.equal(
      code(() => jsonPatch(doc, [{ op: 'test', path: '/metadata/name', value: 'z' }])),
      422,
    );
    assert.equal(
      code(() => jsonPatch(doc, [{ op: 'replace', path: '/missing', value: 1 }])),
      422,
    );
    assert.equal(
      code(() => jsonPatch(doc, [{ op: 'remove', path: '/spec/items/5' }])),
      422,
    );
    assert.equal(
      code(() => jsonPatch(doc, { op: 'add' })),
      400,
    );
    assert.equal(
      code(() => jsonPatch(doc, [{ op: 'add', path: '/x' }])),
      400,
    );
    assert.equal(
      code(() => jsonPatch(doc, [{ op: 'frobnicate', path: '/x' }])),
      400,
    );
  });
});

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', version: '3' };
  const matches = (sel: string) => parseLabelSelector(sel).matches(labels);

  it('supports equality, set-based, existence and numeric requirements', () => {
    assert.equal(matches(''), true);
    assert.equal(matches('app=web'), true);
    assert.equal(matches('app==web,tier=front'), true);
    assert.equal(matches('app!=web'), false);
    assert.equal(matches('missing!=x'), true);
    assert.equal(matches('tier in (back, front)'), true);
    assert.equal(matches('tier notin (front)'), false);
    assert.equal(matches('app,!missing'), true);
    assert.equal(matches('!app'), false);
    assert.equal(matches('version>2,version<4'), true);
    assert.equal(matches('app=web,tier in (back)'), false);
  });

  it('rejects malformed selectors with 400', () => {
    assert.equal(
      code(() => parseLabelSelector('app in (a')),
      400,
    );
    assert.equal(
      code(() => parseLabelSelector('=x')),
      400,
    );
  });
});

describe('field selectors', () => {
  it('matches metadata fields and declared selectable fields only', () => {
    const obj = { metadata: { name: 'a', namespace: 'ns' }, status: { phase: 'Running' } };
    assert.equal(parseFieldSelector('metadata.name=a,metadata.namespace==ns', []).matches(obj), true);
    assert.equal(parseFieldSelector('metadata.name!=a', []).matches(obj), false);
    assert.equal(parseFieldSelector('status.phase=Running', ['status.phase']).matches(obj), true);
    assert.equal(
      code(() => parseFieldSelector('status.phase=Running', [])),
      400,
    );
  });
});
