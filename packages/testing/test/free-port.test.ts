import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { freePort, isPortFree } from '../src/free-port.js';

const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

test('freePort picks bindable ports below the ephemeral range, never the same twice', async () => {
  const ports: number[] = [];
  for (let i = 0; i < 40; i++) ports.push(await freePort());
  assert.equal(new Set(ports).size, ports.length, `a port was handed out twice: ${ports.join(', ')}`);
  for (const port of ports) {
    // Outgoing connections take local ports from the ephemeral range; these cannot collide with them.
    assert.ok(port >= 20_000 && port < ephemeralLow, `port ${port} is not in [20000, ${ephemeralLow})`);
    assert.equal(await isPortFree(port), true, `port ${port} is not free`);
  }
});

test('ports in use are not handed out', async () => {
  // Twenty listeners on picked ports: every later pick must still be free.
  const servers = await Promise.all(
    Array.from({ length: 20 }, async () => {
      const server = createServer();
      const port = await freePort();
      await new Promise<void>((resolve) => server.listen({ port, host: '127.0.0.1' }, resolve));
      return server;
    }),
  );
  try {
    for (let i = 0; i < 20; i++) assert.equal(await isPortFree(await freePort()), true);
  } finally {
    for (const server of servers) server.close();
  }
});
