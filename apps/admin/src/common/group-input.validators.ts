import { groupNameProblem } from '@rcc/redis-config/publisher';
import { ValidateBy, ValidationOptions } from 'class-validator';

/** A group name that may be written: the library's rule (1-128 chars, no control chars, no `{}`). */
export function IsGroupName(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isGroupName',
      validator: {
        validate: (value: unknown) => groupNameProblem(value) === null,
        defaultMessage: (args) => groupNameProblem(args?.value) ?? 'is not a valid group name',
      },
    },
    options,
  );
}

export const MAX_LOOKUP_NAME_LENGTH = 1024;

/**
 * A name to read or delete: looser than `IsGroupName`, because data written by the old project
 * (or by hand) may hold names we would not create, and an operator must still be able to see and
 * remove them.
 */
export function IsGroupLookupName(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isGroupLookupName',
      validator: {
        validate: (value: unknown) => lookupNameProblem(value) === null,
        defaultMessage: (args) => lookupNameProblem(args?.value) ?? 'is not a valid group name',
      },
    },
    options,
  );
}

export function lookupNameProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length === 0) return 'must not be empty';
  if (value.length > MAX_LOOKUP_NAME_LENGTH)
    return `must be at most ${MAX_LOOKUP_NAME_LENGTH} characters`;
  return null;
}
