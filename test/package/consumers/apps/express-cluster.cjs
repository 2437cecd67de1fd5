// express-prom-bundle's cluster mode as its README shows: the primary serves
// clusterMetrics(), each forked worker creates an AggregatorRegistry and serves the app.
// Each worker listens on its own port (exclusive) so a test can send it a known number of
// requests; the primary prints the ports (and the workers' pids) as JSON.
const cluster = require('node:cluster');
const express = require('express');
const promBundle = require('express-prom-bundle');
const promClient = require('prom-client');

const WORKERS = 2;

if (cluster.isPrimary) {
  const metricsApp = express();
  metricsApp.use('/cluster_metrics', promBundle.clusterMetrics());
  const server = metricsApp.listen(0, '127.0.0.1', () => {
    const workers = [];
    for (let i = 0; i < WORKERS; i++) {
      cluster.fork().on('message', (message) => {
        if (message?.port === undefined) return;
        workers.push(message);
        if (workers.length === WORKERS) console.log(JSON.stringify({ metricsPort: server.address().port, workers }));
      });
    }
  });
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGTERM');
    process.exit(0);
  });
} else {
  new promClient.AggregatorRegistry();
  const app = express();
  app.use(promBundle({ includeMethod: true, includePath: true }));
  app.get('/items/:id', (req, res) => res.send(`item ${req.params.id} from ${process.pid}`));
  const server = app.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => process.send({ port: server.address().port, pid: process.pid }));
  process.on('disconnect', () => process.exit(0));
}
