/**
 * The dashboard preview of `promkit demo`, in a real browser (Debian's chromium driven by
 * playwright-core): every generated dashboard of the running demo opens, every panel ends
 * with data (not "No data", not a query error), and a screenshot of each is taken. They go to
 * docs/screenshots/ (for docs/monitoring.md) only with PROMKIT_UPDATE_SCREENSHOTS=1, so a
 * test run leaves the working tree as it found it.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startDemo, type RunningDemo } from '../src/demo/start-demo.js';
import { waitUntil } from '@promkit/testing';

const DOCS_SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

interface PanelState {
  title: string;
  state: string;
  status: string;
}

async function panelStates(page: Page): Promise<PanelState[]> {
  return page.$$eval('section.panel', (els) =>
    els.map((e) => ({
      title: e.getAttribute('data-title') ?? '',
      state: e.getAttribute('data-state') ?? '',
      status: e.querySelector('.status')?.textContent ?? '',
    })),
  );
}

describe('dashboard preview of the running demo, in chromium', { timeout: 240_000 }, () => {
  let stateDir = '';
  let demo: RunningDemo;
  let browser: Browser;

  before(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'promkit-preview-'));
    demo = await startDemo({ ports: { dynamo: 0, datamover: 0, modal: 0, runtime: 0, prometheus: 0 }, prometheus: true, quiet: true, stateDir });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    await demo?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('the demo serves the preview and lists every generated dashboard', async () => {
    assert.ok(demo.dashboards, `preview not served: ${demo.dashboardsNote}`);
    const page = await browser.newPage();
    await page.goto(demo.dashboards.url);
    const titles = await page.$$eval('ul.dashboards a', (as) => as.map((a) => a.textContent));
    assert.deepEqual(
      titles,
      demo.dashboards.dashboards.map((d) => d.title),
    );
    assert.ok(titles.includes('Operator Kit') && titles.length >= 5, titles.join(', '));
    await page.close();
  });

  it('every panel of every dashboard shows data; screenshots saved', async () => {
    const screenshots = process.env.PROMKIT_UPDATE_SCREENSHOTS === '1' ? DOCS_SCREENSHOTS : join(stateDir, 'screenshots');
    await mkdir(screenshots, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    const failures: string[] = [];
    for (const d of demo.dashboards!.dashboards) {
      let last: PanelState[] = [];
      // Rates need a few scrapes of the demo's Prometheus (5s interval): reload until every panel is done and has data.
      await waitUntil(
        async () => {
          await page.goto(`${demo.dashboards!.url}/d/${encodeURIComponent(d.uid)}?range=300`);
          await page.waitForSelector('body[data-rendered]', { timeout: 30_000 });
          last = await panelStates(page);
          return last.length > 0 && last.every((p) => p.state === 'ok') ? true : undefined;
        },
        {
          timeoutMs: 120_000,
          intervalMs: 3_000,
          description: `${d.title}: every panel with data`,
          describe: () => JSON.stringify(last.filter((p) => p.state !== 'ok')),
        },
      ).catch(() => undefined);
      for (const p of last) if (p.state !== 'ok') failures.push(`${d.title} › ${p.title}: ${p.state} ${p.status}`);
      assert.ok(last.length >= 4, `${d.title}: ${last.length} panels rendered`);
      await page.screenshot({ path: join(screenshots, `${d.uid}.png`), fullPage: true });
    }
    await page.close();
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(failures, []);
  });
});
