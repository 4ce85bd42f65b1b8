import { BadRequestException, NotFoundException } from '@nestjs/common';
import { RedisUnavailableError } from '@rcc/redis-config';
import {
  ConfigGroupExistsError,
  ConfigGroupNotFoundError,
  ConfigVersionConflictError,
  InvalidConfigInputError,
} from '@rcc/redis-config/publisher';
import { errorResponse } from './error-response';

describe('errorResponse', () => {
  it.each([
    [new InvalidConfigInputError([{ field: 'config', message: 'bad' }]), 400],
    [new ConfigGroupNotFoundError('g'), 404],
    [new ConfigGroupExistsError('g'), 409],
    [new ConfigVersionConflictError('g', 1, 2), 409],
    [new RedisUnavailableError('down'), 503],
    [new NotFoundException(), 404],
  ])('maps %p to %i', (error, status) => {
    expect(errorResponse(error, true).statusCode).toBe(status);
  });

  it('keeps the problems of a 400 and the versions of a conflict', () => {
    expect(
      errorResponse(new InvalidConfigInputError([{ field: 'name', message: 'x' }]), true),
    ).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'name: x',
      problems: [{ field: 'name', message: 'x' }],
    });
    expect(errorResponse(new ConfigVersionConflictError('g', 1, 2), true)).toMatchObject({
      expectedVersion: 1,
      actualVersion: 2,
    });
    expect(
      errorResponse(new BadRequestException({ message: 'm', problems: [{ field: 'f' }] }), true),
    ).toMatchObject({ statusCode: 400, message: 'm', problems: [{ field: 'f' }] });
  });

  it('calls an unknown error 503 while Redis is down, and a 500 revealing nothing otherwise', () => {
    const error = new Error('unexpected secret=abc');
    expect(errorResponse(error, false)).toMatchObject({ statusCode: 503 });
    expect(errorResponse(error, true)).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal server error',
    });
  });

  // Found by test/faults/redis-kill: a write failing as Redis dies, before the client notices.
  // Which errors mean a lost connection: libs/redis-config/src/connection/connection-loss.spec.ts.
  it('calls a lost connection 503 even while the client still says ready', () => {
    const error = new Error("Stream isn't writeable and enableOfflineQueue options is false");
    expect(errorResponse(error, true)).toMatchObject({ statusCode: 503 });
  });

  it('uses the status of an exposed http-errors error (4xx only)', () => {
    const exposed = Object.assign(new Error('too large'), { status: 413, expose: true });
    expect(errorResponse(exposed, true)).toMatchObject({
      statusCode: 413,
      error: 'Payload Too Large',
    });
    const hidden = Object.assign(new Error('boom'), { status: 502, expose: true });
    expect(errorResponse(hidden, true).statusCode).toBe(500);
  });
});
