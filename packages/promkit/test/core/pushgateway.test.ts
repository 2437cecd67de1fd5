import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { Counter } from '../../src/core/counter.js';
import { Gauge } from '../../src/core/gauge.js';
import { Histogram } from '../../src/core/histogram.js';
import { Pushgateway, PushgatewayError } from '../../src/core/pushgateway.js';
import { Registry } from '../../src/core/registry.js';
import { makeTestCert, type TestCert } from '../server/test-cert.js';

/*
 * Protocol behaviour is tested against a real Pushgateway (Debian's
 * prometheus-pushgateway; CI installs it). Only what a gateway cannot show us —
 * request headers, a peer that never answers — uses a plain node:http recorder.
 */

function findPushgateway(): string {
  const fromEnv = process.env.PUSHGATEWAY_BIN;
  if (fromEnv) return fromEnv;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['prometheus-pushgateway', 'pushgateway']) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not in this directory
      }
    }
  }
  throw new Error('no Pushgateway binary on PATH: install it (apt-get install prometheus-pushgateway) or set PUSHGATEWAY_BIN');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Gateway {
  /** Base URL, including the route prefix if any. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts a Pushgateway on a free port and waits until it reports ready. */
async function startGateway(extraArgs: string[] = [], readyCheck?: (port: number) => Promise<boolean>): Promise<Gateway> {
  const bin = findPushgateway();
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    let stderr = '';
    const child: ChildProcess = spawn(bin, [`--web.listen-address=127.0.0.1:${port}`, '--persistence.file=', '--log.level=error', ...extraArgs], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    let alive = true;
    void exited.then(() => (alive = false));
    const deadline = Date.now() + 15_000;
    while (alive && Date.now() < deadline) {
      const ready = readyCheck
        ? await readyCheck(port).catch(() => false)
        : await fetch(`http://127.0.0.1:${port}/-/ready`).then(
            (r) => r.ok,
            () => false,
          );
      if (ready) {
        return {
          url: `http://127.0.0.1:${port}`,
          port,
          stop: async () => {
            if (alive) {
              child.kill('SIGTERM');
              await exited;
            }
          },
        };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (alive) child.kill('SIGKILL');
    await exited;
    // Someone may have taken the port between freePort() and the bind: try another.
    if (attempt >= 3) throw new Error(`Pushgateway did not become ready: ${stderr}`);
  }
}

interface Group {
  labels: Record<string, string>;
  metrics: Record<string, { type: string; metrics: Array<{ labels: Record<string, string>; value?: string; count?: string; sum?: string }> }>;
}

/** The groups the gateway holds, from its JSON API. */
async function groupsOf(gatewayUrl: string): Promise<Group[]> {
  const res = await fetch(`${gatewayUrl}/api/v1/metrics`);
  assert.equal(res.status, 200);
  const json = (await res.json()) as { data: Array<Record<string, unknown>> };
  return json.data.map((g) => {
    const { labels, last_push_successful: _ok, push_time_seconds: _t, push_failure_time_seconds: _f, ...metrics } = g;
    return { labels: labels as Record<string, string>, metrics: metrics as Group['metrics'] };
  });
}

async function groupOf(gatewayUrl: string, labels: Record<string, string>): Promise<Group | undefined> {
  const all = await groupsOf(gatewayUrl);
  const matching = all.filter((g) => JSON.stringify(Object.entries(g.labels).sort()) === JSON.stringify(Object.entries(labels).sort()));
  assert.ok(matching.length <= 1);
  return matching[0];
}

/** The gateway answers DELETE with 202 and applies it a moment later: wait for the group to go. */
async function assertGroupGone(gatewayUrl: string, labels: Record<string, string>): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((await groupOf(gatewayUrl, labels)) !== undefined) {
    assert.ok(Date.now() < deadline, `group ${JSON.stringify(labels)} still there 5 s after DELETE`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function sampleValue(group: Group | undefined, metric: string, labels: Record<string, string> = {}): string | undefined {
  const family = group?.metrics[metric];
  const m = family?.metrics.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return m?.value;
}

function jobRegistry() {
  const registry = new Registry();
  const jobs = new Counter({ name: 'promkit_pg_jobs_total', help: 'Jobs run.', labelNames: ['result'], registers: [registry] });
  const lastRun = new Gauge({ name: 'promkit_pg_last_run_seconds', help: 'Last run.', registers: [registry] });
  const duration = new Histogram({ name: 'promkit_pg_duration_seconds', help: 'Duration.', buckets: [1, 10], registers: [registry] });
  return { registry, jobs, lastRun, duration };
}

describe('Pushgateway against a real Pushgateway', () => {
  let gw: Gateway;
  before(async () => {
    gw = await startGateway();
  });
  after(async () => {
    await gw?.stop();
  });

  test('push (PUT) stores the registry under job and grouping labels', async () => {
    const { registry, jobs, lastRun, duration } = jobRegistry();
    jobs.inc({ result: 'ok' }, 3);
    jobs.inc({ result: 'failed' });
    lastRun.set(1700000000);
    duration.observe(4);
    const { resp, body } = await new Pushgateway(gw.url, {}, registry).push({ jobName: 'put-job', groupings: { instance: 'host-1' } });
    assert.equal(resp.statusCode, 200);
    assert.equal(body, '');
    const group = await groupOf(gw.url, { job: 'put-job', instance: 'host-1' });
    assert.ok(group, 'group job=put-job,instance=host-1 not found');
    assert.equal(group.metrics.promkit_pg_jobs_total.type, 'COUNTER');
    assert.equal(sampleValue(group, 'promkit_pg_jobs_total', { result: 'ok' }), '3');
    assert.equal(sampleValue(group, 'promkit_pg_jobs_total', { result: 'failed' }), '1');
    assert.equal(sampleValue(group, 'promkit_pg_last_run_seconds'), '1.7e+09');
    const h = group.metrics.promkit_pg_duration_seconds;
    assert.equal(h.type, 'HISTOGRAM');
    assert.equal(h.metrics[0].count, '1');
    assert.equal(h.metrics[0].sum, '4');
    // And Prometheus would scrape it with the grouping labels attached.
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    assert.match(text, /^promkit_pg_jobs_total\{instance="host-1",job="put-job",result="ok"\} 3$/m);
  });

  test('pushAdd (POST) replaces only the pushed families; push (PUT) replaces the group', async () => {
    const a = new Registry();
    const ga = new Gauge({ name: 'promkit_pg_a', help: 'a', registers: [a] });
    const gb = new Gauge({ name: 'promkit_pg_b', help: 'b', registers: [a] });
    ga.set(1);
    gb.set(2);
    await new Pushgateway(gw.url, {}, a).push({ jobName: 'merge-job' });

    const onlyA = new Registry();
    new Gauge({ name: 'promkit_pg_a', help: 'a', registers: [onlyA] }).set(10);
    await new Pushgateway(gw.url, {}, onlyA).pushAdd({ jobName: 'merge-job' });
    let group = await groupOf(gw.url, { job: 'merge-job' });
    assert.equal(sampleValue(group, 'promkit_pg_a'), '10');
    assert.equal(sampleValue(group, 'promkit_pg_b'), '2', 'pushAdd dropped a family it did not push');

    await new Pushgateway(gw.url, {}, onlyA).push({ jobName: 'merge-job' });
    group = await groupOf(gw.url, { job: 'merge-job' });
    assert.equal(sampleValue(group, 'promkit_pg_a'), '10');
    assert.equal(group?.metrics.promkit_pg_b, undefined, 'push kept a family it did not push');
  });

  test('delete removes the group and only that group', async () => {
    const { registry, jobs } = jobRegistry();
    jobs.inc({ result: 'ok' });
    const gateway = new Pushgateway(gw.url, {}, registry);
    await gateway.push({ jobName: 'del-job', groupings: { instance: 'a' } });
    await gateway.push({ jobName: 'del-job', groupings: { instance: 'b' } });
    const { resp } = await gateway.delete({ jobName: 'del-job', groupings: { instance: 'a' } });
    assert.equal(resp.statusCode, 202);
    await assertGroupGone(gw.url, { job: 'del-job', instance: 'a' });
    assert.ok(await groupOf(gw.url, { job: 'del-job', instance: 'b' }));
  });

  test("job and grouping values with '/', empty, '.', '..', spaces, '%' and non-ASCII arrive intact", async () => {
    const registry = new Registry();
    new Gauge({ name: 'promkit_pg_enc', help: 'enc', registers: [registry] }).set(7);
    const groupings = { path: '/var/tmp', empty: '', dot: '.', dotdot: '..', spaced: 'a b+c', pct: '100%', utf: 'grüße/ö', amp: 'x&y=z?' };
    const jobName = 'nightly/backup job';
    await new Pushgateway(gw.url, {}, registry).push({ jobName, groupings });
    const group = await groupOf(gw.url, { job: jobName, ...groupings });
    assert.ok(group, `group not found; the gateway holds ${JSON.stringify((await groupsOf(gw.url)).map((g) => g.labels))}`);
    assert.equal(sampleValue(group, 'promkit_pg_enc'), '7');
    await new Pushgateway(gw.url, {}, registry).delete({ jobName, groupings });
    await assertGroupGone(gw.url, { job: jobName, ...groupings });
  });

  test('a non-2xx answer rejects with the status and the gateway body', async () => {
    const asGauge = new Registry();
    new Gauge({ name: 'promkit_pg_clash', help: 'c', registers: [asGauge] }).set(1);
    await new Pushgateway(gw.url, {}, asGauge).push({ jobName: 'clash-a' });
    const asCounter = new Registry();
    new Counter({ name: 'promkit_pg_clash', help: 'c', registers: [asCounter] }).inc();
    const error = await new Pushgateway(gw.url, {}, asCounter).push({ jobName: 'clash-b' }).then(
      () => assert.fail('push of an inconsistent type succeeded'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PushgatewayError);
    assert.equal(error.status, 400);
    assert.match(error.body, /inconsistent/);
    assert.match(error.message, /^push failed with status 400 \(PUT http:\/\/127\.0\.0\.1:\d+\/metrics\/job\/clash-b\): .*inconsistent/);
  });

  test('the gateway URL path is kept as a prefix; a wrong one gives the 404 as an error', async () => {
    const registry = new Registry();
    new Gauge({ name: 'promkit_pg_prefix', help: 'p', registers: [registry] }).set(1);
    await assert.rejects(new Pushgateway(`${gw.url}/not-here/`, {}, registry).push({ jobName: 'prefix-job' }), (e: unknown) => {
      assert.ok(e instanceof PushgatewayError);
      assert.equal(e.status, 404);
      assert.match(e.url, /\/not-here\/metrics\/job\/prefix-job$/);
      return true;
    });
  });

  test('gzip Content-Encoding compresses the body (and is not sent with DELETE)', async () => {
    const registry = new Registry();
    new Gauge({ name: 'promkit_pg_gzip', help: 'g', registers: [registry] }).set(42);
    const gateway = new Pushgateway(gw.url, { headers: { 'Content-Encoding': 'gzip' } }, registry);
    await gateway.push({ jobName: 'gzip-job' });
    assert.equal(sampleValue(await groupOf(gw.url, { job: 'gzip-job' }), 'promkit_pg_gzip'), '42');
    await gateway.delete({ jobName: 'gzip-job' });
    await assertGroupGone(gw.url, { job: 'gzip-job' });
  });

  test('the agent option is used for the request', async () => {
    const registry = new Registry();
    new Gauge({ name: 'promkit_pg_agent', help: 'a', registers: [registry] }).set(1);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      await new Pushgateway(gw.url, { agent }, registry).push({ jobName: 'agent-job' });
      await new Promise((r) => setImmediate(r));
      const pooled = Object.values(agent.freeSockets).reduce((n, list) => n + (list?.length ?? 0), 0);
      assert.equal(pooled, 1, 'the keep-alive socket did not go back to the given agent');
    } finally {
      agent.destroy();
    }
  });

  test('a missing jobName rejects, as prom-client requires one by default', async () => {
    await assert.rejects(new Pushgateway(gw.url, {}, new Registry()).push({} as never), /Missing jobName parameter/);
    await assert.rejects(new Pushgateway(gw.url, {}, new Registry()).pushAdd(), /Missing jobName parameter/);
  });
});

describe('Pushgateway over HTTPS with basic auth and a route prefix (real Pushgateway)', () => {
  let gw: Gateway;
  let tls: TestCert | undefined;
  let ca: string;
  // bcrypt of 's3cret' (made with libxcrypt: python3 -c "import crypt; print(crypt.crypt('s3cret', '$2b$05$abcdefghijklmnopqrstuu'))").
  const hash = '$2b$05$abcdefghijklmnopqrstuuLK7U1u6pVRmL7L1BBM2aS35PSZnDXlK';

  before(async () => {
    tls = makeTestCert();
    const dir = tls.dir;
    ca = tls.cert.toString('utf8');
    writeFileSync(
      join(dir, 'web.yml'),
      `tls_server_config:\n  cert_file: ${tls.certFile}\n  key_file: ${tls.keyFile}\nbasic_auth_users:\n  promkit: ${hash}\n`,
    );
    gw = await startGateway(
      [`--web.config.file=${join(dir, 'web.yml')}`, '--web.route-prefix=/pgw'],
      (port) =>
        new Promise((resolve) => {
          https
            .get({ host: '127.0.0.1', port, path: '/pgw/-/ready', ca, auth: 'promkit:s3cret' }, (res) => {
              res.resume();
              resolve(res.statusCode === 200);
            })
            .on('error', () => resolve(false));
        }),
    );
  });
  after(async () => {
    await gw?.stop();
    tls?.remove();
  });

  function getJson(path: string): Promise<{ data: Array<{ labels: Record<string, string> } & Record<string, unknown>> }> {
    return new Promise((resolve, reject) => {
      https
        .get({ host: '127.0.0.1', port: gw.port, path, ca, auth: 'promkit:s3cret' }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve(JSON.parse(text)));
        })
        .on('error', reject);
    });
  }

  test('credentials in the URL, a CA through the agent and the path prefix all apply', async () => {
    const registry = new Registry();
    new Gauge({ name: 'promkit_pg_tls', help: 't', registers: [registry] }).set(5);
    const agent = new https.Agent({ ca });
    const gateway = new Pushgateway(`https://promkit:s3cret@127.0.0.1:${gw.port}/pgw/`, { agent }, registry);
    const { resp } = await gateway.push({ jobName: 'tls-job' });
    assert.equal(resp.statusCode, 200);
    const json = await getJson('/pgw/api/v1/metrics');
    const group = json.data.find((g) => g.labels.job === 'tls-job');
    assert.ok(group, 'pushed group not found');
    agent.destroy();
  });

  test('wrong credentials: the 401 rejects, and the message does not show the password', async () => {
    const registry = new Registry();
    new Gauge({ name: 'promkit_pg_tls', help: 't', registers: [registry] }).set(5);
    const gateway = new Pushgateway(`https://promkit:wrong-pass@127.0.0.1:${gw.port}/pgw`, { ca }, registry);
    await assert.rejects(gateway.push({ jobName: 'tls-job' }), (e: unknown) => {
      assert.ok(e instanceof PushgatewayError);
      assert.equal(e.status, 401);
      assert.doesNotMatch(e.message, /wrong-pass/);
      return true;
    });
  });

  test('an untrusted certificate fails the push', async () => {
    const gateway = new Pushgateway(`https://promkit:s3cret@127.0.0.1:${gw.port}/pgw`, {}, new Registry());
    await assert.rejects(gateway.push({ jobName: 'tls-job' }), /self-signed|certificate/i);
  });
});

interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A peer that records requests; `respond` decides the answer (or never answers). */
async function recorder(respond: (req: Recorded, res: http.ServerResponse) => void): Promise<{ url: string; requests: Recorded[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(r);
      respond(r, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

describe('Pushgateway requests as sent (node:http recorder)', () => {
  test('headers: text 0.0.4 Content-Type, Content-Length, user headers; the body is the scrape', async () => {
    const peer = await recorder((_, res) => res.writeHead(200).end('ok'));
    try {
      const { registry, jobs } = jobRegistry();
      jobs.inc({ result: 'ok' });
      const gateway = new Pushgateway(peer.url, { headers: { 'X-Tenant': 'team-a', Authorization: 'Bearer t0k' } }, registry);
      const { body } = await gateway.pushAdd({ jobName: 'hdr', groupings: { instance: 'i1' } });
      assert.equal(body, 'ok');
      const [req] = peer.requests;
      assert.equal(req.method, 'POST');
      assert.equal(req.url, '/metrics/job/hdr/instance/i1');
      assert.equal(req.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
      assert.equal(req.headers['x-tenant'], 'team-a');
      assert.equal(req.headers.authorization, 'Bearer t0k');
      assert.equal(Number(req.headers['content-length']), req.body.length);
      assert.equal(req.body.toString('utf8'), await registry.metrics());

      await gateway.delete({ jobName: 'hdr' });
      const del = peer.requests[1];
      assert.equal(del.method, 'DELETE');
      assert.equal(del.url, '/metrics/job/hdr');
      assert.equal(del.body.length, 0);
      assert.equal(del.headers['content-type'], undefined);
    } finally {
      await peer.close();
    }
  });

  test("the caller's header object is left as it was (push, gzip push, delete)", async () => {
    const peer = await recorder((_, res) => res.writeHead(200).end());
    try {
      const { registry, jobs } = jobRegistry();
      jobs.inc({ result: 'ok' });
      const headers = { 'X-Tenant': 'team-a', 'Content-Encoding': 'gzip' };
      const before = JSON.stringify(headers);
      const gateway = new Pushgateway(peer.url, { headers }, registry);
      await gateway.push({ jobName: 'same-headers' });
      await gateway.delete({ jobName: 'same-headers' });
      assert.equal(JSON.stringify(headers), before);
      assert.equal(peer.requests[0].headers['content-encoding'], 'gzip');
      assert.equal(peer.requests[1].headers['content-encoding'], undefined, 'DELETE has no body to encode');
    } finally {
      await peer.close();
    }
  });

  // Deliberate (docs/api.md): prom-client pushes an OpenMetrics body, which Pushgateway
  // 1.5 parses as text 0.0.4: a counter `x_total` lands untyped, an exemplar is a 400.
  test('an OpenMetrics registry is still pushed as text 0.0.4', async () => {
    const peer = await recorder((_, res) => res.writeHead(200).end());
    try {
      const registry = new Registry(Registry.OPENMETRICS_CONTENT_TYPE);
      new Counter({ name: 'promkit_pg_om_total', help: 'om', registers: [registry] }).inc();
      await new Pushgateway(peer.url, {}, registry).push({ jobName: 'om' });
      const text = peer.requests[0].body.toString('utf8');
      assert.doesNotMatch(text, /# EOF/);
      assert.match(text, /^# TYPE promkit_pg_om_total counter$/m);
      assert.equal(peer.requests[0].headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    } finally {
      await peer.close();
    }
  });

  test('gzip: the body on the wire is the gzipped scrape', async () => {
    const peer = await recorder((_, res) => res.writeHead(200).end());
    try {
      const { registry, jobs } = jobRegistry();
      jobs.inc({ result: 'ok' });
      await new Pushgateway(peer.url, { headers: { 'content-encoding': 'gzip' } }, registry).push({ jobName: 'gz' });
      assert.equal(gunzipSync(peer.requests[0].body).toString('utf8'), await registry.metrics());
    } finally {
      await peer.close();
    }
  });

  test('requireJobName: false without a job addresses /metrics', async () => {
    const peer = await recorder((_, res) => res.writeHead(202).end());
    try {
      await new Pushgateway(`${peer.url}/base`, { requireJobName: false }, new Registry()).delete();
      assert.equal(peer.requests[0].url, '/base/metrics');
    } finally {
      await peer.close();
    }
  });

  test('a redirect is not success: a 3xx rejects', async () => {
    const peer = await recorder((_, res) => res.writeHead(307, { Location: '/elsewhere' }).end('moved'));
    try {
      await assert.rejects(new Pushgateway(peer.url, {}, new Registry()).push({ jobName: 'r' }), /push failed with status 307 .*moved/);
    } finally {
      await peer.close();
    }
  });

  test('timeout: a peer that never answers rejects after the timeout', async () => {
    const peer = await recorder(() => {
      // never answer
    });
    try {
      const started = Date.now();
      await assert.rejects(new Pushgateway(peer.url, { timeout: 150 }, new Registry()).push({ jobName: 't' }), /Pushgateway request timed out after 150 ms/);
      const took = Date.now() - started;
      assert.ok(took >= 140 && took < 5000, `took ${took} ms`);
    } finally {
      await peer.close();
    }
  });

  test('a refused connection rejects with the socket error', async () => {
    const port = await freePort();
    await assert.rejects(new Pushgateway(`http://127.0.0.1:${port}`, {}, new Registry()).push({ jobName: 'x' }), { code: 'ECONNREFUSED' });
  });

  test('invalid input is rejected with a message naming it', async () => {
    assert.throws(() => new Pushgateway('pushgateway:9091'), /URL scheme 'pushgateway:' is not supported/);
    assert.throws(() => new Pushgateway('not a url'), /'not a url' is not an absolute URL/);
    const gateway = new Pushgateway('http://127.0.0.1:1', {}, new Registry());
    await assert.rejects(gateway.push({ jobName: 'x', groupings: { 'bad-name': 'v' } }), /grouping label name 'bad-name' is invalid/);
    await assert.rejects(
      gateway.push({ jobName: 'x', groupings: { ok: null as never } }),
      /value of grouping label 'ok' must be a string or a number, got null/,
    );
  });
});
