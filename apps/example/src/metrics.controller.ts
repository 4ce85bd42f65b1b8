import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { collectDefaultMetrics, register } from 'prom-client';

/**
 * `GET /metrics` as a user would serve it, with prom-client's default registry: the node's
 * `rcc_node_*` metrics are there when `RCC_METRICS=true` (DESIGN §15), beside the process ones.
 */
@Controller('metrics')
export class MetricsController {
  constructor() {
    collectDefaultMetrics();
  }

  @Get()
  async scrape(@Res() response: Response): Promise<void> {
    response.setHeader('Content-Type', register.contentType);
    response.end(await register.metrics());
  }
}
