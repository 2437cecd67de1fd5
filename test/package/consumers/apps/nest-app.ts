// A Nest app with @willsoto/nestjs-prometheus as its README shows: PrometheusModule serves
// /metrics, a counter and a histogram made by makeCounterProvider/makeHistogramProvider are
// injected into a service. prom-client here is promkit, types included: this file is
// type-checked with skipLibCheck false, then compiled and run. Prints its port as JSON.
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Injectable, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InjectMetric, makeCounterProvider, makeHistogramProvider, PrometheusModule } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';

@Injectable()
class Orders {
  constructor(
    @InjectMetric('orders_placed_total') private readonly placed: Counter<string>,
    @InjectMetric('order_value_euros') private readonly value: Histogram<string>,
  ) {}

  place(kind: string, euros: number): void {
    this.placed.labels(kind).inc();
    this.value.observe(euros);
  }
}

@Controller('orders')
class OrdersController {
  constructor(private readonly orders: Orders) {}

  @Get(':kind/:euros')
  order(@Param('kind') kind: string, @Param('euros') euros: string): string {
    this.orders.place(kind, Number(euros));
    return 'ordered';
  }
}

@Module({
  imports: [PrometheusModule.register({ defaultLabels: { app: 'nest-shop' } })],
  controllers: [OrdersController],
  providers: [
    Orders,
    makeCounterProvider({ name: 'orders_placed_total', help: 'Orders placed.', labelNames: ['kind'] }),
    makeHistogramProvider({ name: 'order_value_euros', help: 'Order value.', buckets: [10, 100] }),
  ],
})
class AppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
  console.log(JSON.stringify({ port }));
  process.on('SIGTERM', () => {
    void app.close().then(() => process.exit(0));
  });
}
void main();
