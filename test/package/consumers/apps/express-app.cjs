// An express app instrumented with express-prom-bundle as its README shows; prom-client
// here is promkit. Prints its port as JSON once listening.
const express = require('express');
const promBundle = require('express-prom-bundle');

const app = express();
app.use(promBundle({ includeMethod: true, includePath: true, customLabels: { app: 'shop' } }));
app.get('/items/:id', (req, res) => res.json({ id: req.params.id }));
app.post('/items', (_req, res) => res.status(201).send('created'));
app.get('/fail', (_req, res) => res.status(503).send('unavailable'));
const server = app.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
