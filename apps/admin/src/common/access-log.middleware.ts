import { Logger } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import type { AdminRequest } from '../auth/admin-request';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * One structured line per request, written when the response ends: method, path (no query
 * string), status, duration and the token's label, never the token. A successful read is a debug
 * line (`LOG_LEVEL=debug`): the console polls every 2 s, and routine polling would bury the rest.
 */
export function accessLog(logger = new Logger('HTTP')) {
  return (request: AdminRequest, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const entry = {
        method: request.method,
        path: request.path,
        status: response.statusCode,
        durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
        author: request.adminAuthor ?? null,
      };
      if (response.statusCode >= 500) logger.error(entry);
      else if (response.statusCode >= 400) logger.warn(entry);
      else if (READS.has(request.method)) logger.debug(entry);
      else logger.log(entry);
    });
    next();
  };
}
