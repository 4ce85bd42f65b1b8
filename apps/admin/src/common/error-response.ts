import { HttpException, HttpStatus } from '@nestjs/common';
import { RedisUnavailableError } from '@rcc/redis-config';
import {
  ConfigGroupExistsError,
  ConfigGroupNotFoundError,
  ConfigVersionConflictError,
  InputProblem,
  InvalidConfigInputError,
  isConnectionLoss,
  RolloutRefusal,
  RolloutRejectedError,
  RolloutRunningError,
  RolloutStateError,
} from '@rcc/redis-config/publisher';

/** The JSON body of every error of the admin service, over HTTP and over the message transport. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** For 400: each bad field and what is wrong with it; for 422 of a rollout: each refusal. */
  problems?: InputProblem[] | RolloutRefusal[];
  /** For 409 on a stale `expectedVersion`: what the caller expected and what is stored. */
  expectedVersion?: number | null;
  actualVersion?: number | null;
}

/**
 * Turns anything thrown by a handler into a status and a body. `redisReady` tells an outage (503)
 * from a bug (500) for errors the Redis client throws while disconnected.
 */
export function errorResponse(error: unknown, redisReady: boolean): ErrorBody {
  if (error instanceof HttpException) return fromHttpException(error);
  if (error instanceof InvalidConfigInputError) {
    return body(HttpStatus.BAD_REQUEST, error.message, { problems: error.problems });
  }
  if (error instanceof ConfigGroupNotFoundError) return body(HttpStatus.NOT_FOUND, error.message);
  if (error instanceof ConfigGroupExistsError) return body(HttpStatus.CONFLICT, error.message);
  if (error instanceof RolloutRunningError) return body(HttpStatus.CONFLICT, error.message);
  if (error instanceof RolloutStateError) {
    return body(
      error.reason === 'none' ? HttpStatus.NOT_FOUND : HttpStatus.CONFLICT,
      error.message,
    );
  }
  if (error instanceof RolloutRejectedError) {
    return body(HttpStatus.UNPROCESSABLE_ENTITY, error.message, { problems: error.refusals });
  }
  if (error instanceof ConfigVersionConflictError) {
    return body(HttpStatus.CONFLICT, error.message, {
      expectedVersion: error.expectedVersion,
      actualVersion: error.actualVersion,
    });
  }
  if (error instanceof RedisUnavailableError || !redisReady || isConnectionLoss(error)) {
    return body(HttpStatus.SERVICE_UNAVAILABLE, 'Redis is unavailable: try again shortly');
  }
  const status = exposedStatus(error);
  if (status) return body(status, (error as Error).message);
  return body(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
}

function fromHttpException(error: HttpException): ErrorBody {
  const status = error.getStatus();
  const response = error.getResponse();
  if (typeof response === 'string') return body(status, response);
  const fields = response as Partial<ErrorBody> & { message?: unknown };
  const message = Array.isArray(fields.message)
    ? fields.message.join('; ')
    : typeof fields.message === 'string'
      ? fields.message
      : error.message;
  return body(status, message, fields.problems ? { problems: fields.problems } : {});
}

/** An `http-errors` error (body parsers, multer) that is safe to show: its own 4xx status. */
function exposedStatus(error: unknown): number | null {
  if (typeof error !== 'object' || error === null) return null;
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && expose === true
    ? status
    : null;
}

function body(statusCode: number, message: string, extra: Partial<ErrorBody> = {}): ErrorBody {
  return { statusCode, error: reasonPhrase(statusCode), message, ...extra };
}

const PHRASES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function reasonPhrase(status: number): string {
  return PHRASES[status] ?? (status < 500 ? 'Client Error' : 'Server Error');
}
