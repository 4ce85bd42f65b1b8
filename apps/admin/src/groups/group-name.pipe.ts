import { Injectable, PipeTransform } from '@nestjs/common';
import type { ApiParamOptions } from '@nestjs/swagger';
import { groupNameProblem } from '@rcc/redis-config/publisher';
import { lookupNameProblem } from '../common/group-input.validators';
import { badRequest } from '../common/validation-problems';

/**
 * `:name` of a route, checked by a plain function instead of a class-validator DTO: the path holds
 * one string, and building and validating a DTO instance for it cost about as much as reading the
 * group from Redis (docs/BENCHMARKS.md §5). A bad name is a 400 naming `name`, as before.
 */
abstract class GroupNamePipe implements PipeTransform<unknown, string> {
  protected abstract problemOf(value: unknown): string | null;

  transform(value: unknown): string {
    const problem = this.problemOf(value);
    if (problem !== null) throw badRequest([{ field: 'name', message: problem }]);
    return value as string;
  }
}

/** A name to read or delete (looser than the naming rule: old data may hold any name). */
@Injectable()
export class GroupLookupNamePipe extends GroupNamePipe {
  protected problemOf(value: unknown): string | null {
    return lookupNameProblem(value);
  }
}

/** A name to write: the library's naming rule. */
@Injectable()
export class WritableGroupNamePipe extends GroupNamePipe {
  protected problemOf(value: unknown): string | null {
    return groupNameProblem(value);
  }
}

/** The OpenAPI description of `:name`, for `@ApiParam`. */
export const LOOKUP_NAME_PARAM: ApiParamOptions = {
  name: 'name',
  description: 'Group name (URL-encoded)',
  example: 'apikey-1',
};
export const WRITABLE_NAME_PARAM: ApiParamOptions = {
  name: 'name',
  description: '1-128 characters, no control characters, no leading/trailing space, no { or }',
  example: 'apikey-1',
};
