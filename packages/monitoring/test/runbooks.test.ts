import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_RUNBOOK_BASE } from '../src/artifacts.js';
import { artifacts } from './helpers.js';

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to dashes. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');
}

/** Sections of a markdown page by anchor. */
function sections(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = markdown.split(/^## /m).slice(1);
  for (const part of parts) out.set(slug(part.split('\n', 1)[0]!), part);
  return out;
}

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
/** The default base is this repository's blob URL of deploy/…; map it to the checkout. */
const BLOB = DEFAULT_RUNBOOK_BASE.slice(0, DEFAULT_RUNBOOK_BASE.indexOf('/deploy/') + 1);

function runbookUrls(): { alert: string; url: string; file: string }[] {
  const urls: { alert: string; url: string; file: string }[] = [];
  for (const a of artifacts.filter((x) => /^(prometheus\/rules|kubernetes\/.*\/prometheus-rule)/.test(x.path))) {
    const doc = parseYaml(a.content) as { groups?: any[]; spec?: { groups: any[] } };
    for (const g of doc.groups ?? doc.spec!.groups)
      for (const r of g.rules) if (r.alert) urls.push({ alert: r.alert, url: r.annotations.runbook_url, file: a.path });
  }
  return urls;
}

describe('runbooks', () => {
  it('every generated runbook_url resolves to an existing section of the committed runbooks page', async () => {
    const urls = runbookUrls();
    assert.ok(urls.length >= 30, `${urls.length} alerts`);
    const pages = new Map<string, Map<string, string>>();
    const missing: string[] = [];
    for (const { alert, url, file } of urls) {
      assert.ok(url.startsWith(BLOB), `${file} ${alert}: ${url}`);
      const [path, anchor] = url.slice(BLOB.length).split('#') as [string, string];
      if (!pages.has(path)) pages.set(path, sections(await readFile(`${REPO}${path}`, 'utf8')));
      if (!pages.get(path)!.has(anchor)) missing.push(`${file} ${alert}: no section #${anchor} in ${path}`);
    }
    assert.deepEqual(missing, []);
  });

  it("each alert's section says what it means, its impact, how to diagnose and what to do", () => {
    const page = sections(artifacts.find((a) => a.path === 'reference/runbooks.md')!.content);
    for (const { alert } of runbookUrls()) {
      const text = page.get(alert.toLowerCase())!;
      for (const part of ['**What it means.**', '**Impact.**', '**What to do.**', '```promql']) assert.ok(text.includes(part), `${alert}: ${part}`);
    }
    // Diagnosis queries where the alert declares them, e.g. the Node.js process alerts.
    assert.ok(page.get('nodeeventlooplaghigh')!.includes('**Diagnosis.**'));
  });

  it('the alert tables of the catalog references link to those sections', () => {
    for (const a of artifacts.filter((x) => /^reference\/(?!runbooks).*\.md$/.test(x.path))) {
      for (const m of a.content.matchAll(/\[(\w+)\]\(([^)]+)\)/g)) {
        if (!m[2]!.startsWith(DEFAULT_RUNBOOK_BASE)) continue;
        assert.equal(m[2], `${DEFAULT_RUNBOOK_BASE}#${m[1]!.toLowerCase()}`, a.path);
      }
    }
  });
});
