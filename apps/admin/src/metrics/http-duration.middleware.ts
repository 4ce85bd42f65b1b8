import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AdminMetrics } from './admin-metrics';

/**
 * Times every request into `rcc_admin_http_request_duration_seconds`, labelled by the route
 * pattern (`/api/groups/:name`), never the raw path: group names would make a series each.
 */
@Injectable()
export class HttpDurationMiddleware implements NestMiddleware {
  constructor(private readonly metrics: AdminMetrics) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const stop = this.metrics.httpDuration.startTimer();
    response.once('finish', () => {
      // A write this admin made may have changed the fleet figures (rollouts included); a refused
      // one changed nothing (and must not let a stranger force a re-read per scrape).
      const write = request.method !== 'GET' && request.method !== 'HEAD';
      if (write && response.statusCode < 400) this.metrics.changesSeen++;
      stop({
        method: request.method,
        route: routeOf(request),
        status: String(response.statusCode),
      });
    });
    next();
  }
}

/** Express sets `request.route` once a handler matched; the console's files and 404s have none. */
function routeOf(request: Request): string {
  const route = (request as Request & { route?: { path?: unknown } }).route;
  if (!route || typeof route.path !== 'string') return 'unmatched';
  return `${request.baseUrl}${route.path}`;
}
