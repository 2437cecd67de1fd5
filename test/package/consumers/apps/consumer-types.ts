// The other consumers' own declarations against promkit's (they import prom-client's
// types: Registry, RegistryContentType, DefaultMetricsCollectorConfiguration), checked in
// the same skipLibCheck-false compilation as nest-app.ts.
import promBundle from 'express-prom-bundle';
import fastifyMetrics, { type IMetricsPluginOptions } from 'fastify-metrics';
import { Registry } from 'prom-client';

const registry = new Registry();
export const middleware = promBundle({ includeMethod: true, promRegistry: registry, promClient: { collectDefaultMetrics: { prefix: 'shop_' } } });
export const options: Partial<IMetricsPluginOptions> = { endpoint: '/metrics', defaultMetrics: { enabled: true, register: registry } };
export const plugin = fastifyMetrics;
