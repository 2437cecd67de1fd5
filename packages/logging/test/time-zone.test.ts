/** UTC timestamps by default; DYN_LOG_USE_LOCAL_TZ gives local time with its offset. */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { formatTimestamp } from '../src/index.js';
import { captureLogging } from './capture.js';

// Node re-reads TZ when it is assigned, so each test picks its zone.
const originalTz = process.env.TZ;
afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

const INSTANT = Date.UTC(2025, 0, 15, 23, 50, 7, 5); // 2025-01-15T23:50:07.005Z

describe('timestamps', () => {
  test('UTC with Z and milliseconds, whatever the local zone', () => {
    process.env.TZ = 'Asia/Kolkata';
    assert.equal(formatTimestamp(INSTANT, false), '2025-01-15T23:50:07.005Z');
  });

  test('local time with a +hh:mm offset (half-hour zone, across midnight)', () => {
    process.env.TZ = 'Asia/Kolkata';
    assert.equal(formatTimestamp(INSTANT, true), '2025-01-16T05:20:07.005+05:30');
  });

  test('negative offsets, and daylight saving time changes the offset', () => {
    process.env.TZ = 'America/St_Johns';
    assert.equal(formatTimestamp(INSTANT, true), '2025-01-15T20:20:07.005-03:30');
    assert.equal(formatTimestamp(Date.UTC(2025, 6, 1, 12, 0, 0, 0), true), '2025-07-01T09:30:00.000-02:30');
  });

  test('UTC as the local zone is written +00:00', () => {
    process.env.TZ = 'UTC';
    assert.equal(formatTimestamp(INSTANT, true), '2025-01-15T23:50:07.005+00:00');
  });

  test('a local timestamp names the same instant as the UTC one', () => {
    process.env.TZ = 'America/Los_Angeles';
    const now = Date.now();
    assert.equal(Date.parse(formatTimestamp(now, true)), now);
    assert.equal(Date.parse(formatTimestamp(now, false)), now);
  });

  test('the logger follows DYN_LOG_USE_LOCAL_TZ', () => {
    process.env.TZ = 'Asia/Kolkata';
    const local = captureLogging({ env: { DYN_LOG_USE_LOCAL_TZ: '1' }, now: () => INSTANT });
    local.logging.logger('t').info('x');
    assert.equal(local.records()[0]!.time, '2025-01-16T05:20:07.005+05:30');
    const utc = captureLogging({ env: {}, now: () => INSTANT });
    utc.logging.logger('t').info('x');
    assert.equal(utc.records()[0]!.time, '2025-01-15T23:50:07.005Z');
  });
});
