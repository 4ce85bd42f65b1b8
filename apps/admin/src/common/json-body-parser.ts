import { json, NextFunction, Request, RequestHandler, Response } from 'express';
import { reasonPhrase } from './error-response';

/**
 * `express.json` with the admin's size limit, whose failures answer in the admin's JSON error
 * format (Express would answer with an HTML page): 413 over the limit, 400 for malformed JSON.
 */
export function jsonBodyParser(limitBytes: number): RequestHandler {
  const parse = json({ limit: limitBytes, strict: true });
  return (request: Request, response: Response, next: NextFunction) => {
    parse(request, response, (error?: unknown) => {
      if (!error) return next();
      const { status, type } = error as { status?: number; type?: string };
      const statusCode = typeof status === 'number' && status >= 400 && status < 500 ? status : 400;
      const message =
        type === 'entity.too.large'
          ? `Request body is larger than ${limitBytes} bytes`
          : type === 'entity.parse.failed'
            ? 'Request body is not valid JSON'
            : type === 'charset.unsupported' || type === 'encoding.unsupported'
              ? 'Request body must be UTF-8 JSON'
              : 'Request body could not be read';
      const problems = statusCode === 400 ? [{ field: 'body', message }] : undefined;
      response
        .status(statusCode)
        .json({ statusCode, error: reasonPhrase(statusCode), message, problems });
    });
  };
}
