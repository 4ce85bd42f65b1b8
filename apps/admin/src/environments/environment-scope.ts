import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { AdminEnvironments } from './admin-environments';

/** The `env` query parameter or message field: a string, or absent. */
function askedName(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Express middleware: the whole request (guards, interceptors, handler, error filter) runs in the
 * scope of the environment its `?env=` asks for. Nothing is refused here: an unknown name is a 400
 * from {@link EnvironmentInterceptor}, after the token was checked (a stranger learns no names).
 */
export function environmentScope(environments: AdminEnvironments) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    const asked = askedName((request.query as Record<string, unknown> | undefined)?.env);
    environments.run(asked, () => next(), asked !== null);
  };
}

/**
 * Resolves the asked environment once the guards passed (400 naming the known ones), and takes
 * `env` out of the query or message, so that the routes' own DTOs (which forbid unknown fields)
 * never see it. A message pattern's scope starts here (there is no middleware for messages).
 */
@Injectable()
export class EnvironmentInterceptor implements NestInterceptor {
  constructor(private readonly environments: AdminEnvironments) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<Request>();
      const { env, ...query } = (request.query ?? {}) as Record<string, unknown>;
      const environment = this.environments.named(askedName(env));
      // Express 5 parses `req.query` on each read: an own property hides the getter.
      Object.defineProperty(request, 'query', { value: query, writable: true, configurable: true });
      // The middleware's scope (one for the whole request, the error filter included).
      return this.environments.enter(environment, () => next.handle());
    }
    if (context.getType() === 'rpc') {
      const data: unknown = context.switchToRpc().getData();
      let asked: string | null = null;
      if (typeof data === 'object' && data !== null && Object.hasOwn(data, 'env')) {
        asked = askedName((data as Record<string, unknown>).env);
        delete (data as Record<string, unknown>).env;
      }
      const environment = this.environments.named(asked);
      // Nest binds the handler's async context when `handle()` is called: inside this scope.
      return this.environments.run(environment, () => next.handle());
    }
    return next.handle();
  }
}
