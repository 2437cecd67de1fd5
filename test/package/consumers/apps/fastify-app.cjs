// A fastify app with fastify-metrics: route histogram and summary, default metrics in a
// registry of their own (so /metrics merges two registries with Registry.merge). prom-client
// here is promkit. Prints its port as JSON once listening.
const Fastify = require('fastify');
const fastifyMetrics = require('fastify-metrics');
const promClient = require('prom-client');

async function main() {
  const app = Fastify();
  const defaultsRegistry = new promClient.Registry();
  await app.register(fastifyMetrics, {
    endpoint: '/metrics',
    defaultMetrics: { enabled: true, register: defaultsRegistry },
    routeMetrics: { enabled: true, customLabels: { svc: 'cart' } },
  });
  app.get('/hello/:name', async (req) => ({ hello: req.params.name }));
  app.post('/boom', async (_req, reply) => reply.code(500).send({ error: 'boom' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(JSON.stringify({ port: app.server.address().port }));
  process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
