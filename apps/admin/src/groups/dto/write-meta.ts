import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { configProblem } from '@rcc/redis-config/publisher';
import { Allow, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { RawJsonField } from '../../common/raw-json-field';

export const MAX_COMMENT_LENGTH = 500;

/** The optional history comment of a write. */
export function CommentField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ maxLength: MAX_COMMENT_LENGTH, example: 'rotate the key' }),
    IsOptional(),
    IsString(),
    MaxLength(MAX_COMMENT_LENGTH),
  );
}

/** A version number (`expectedVersion`, rollback target): a JSON integer ≥ 0, never a string. */
export function VersionField(options: {
  required: boolean;
  description: string;
}): PropertyDecorator {
  const doc = { type: 'integer' as const, minimum: 0, description: options.description };
  return applyDecorators(
    options.required ? ApiProperty(doc) : ApiPropertyOptional(doc),
    ...(options.required ? [] : [IsOptional()]),
    IsInt(),
    Min(0),
    Max(Number.MAX_SAFE_INTEGER),
  );
}

/**
 * A config object, checked with the library's rule and handed over as parsed, so it is kept
 * exactly as written (a `__proto__` key included, as plain data: an own property of a parsed
 * object, that is only ever serialised again).
 */
export function ConfigField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: 'object',
      additionalProperties: true,
      description: 'A JSON object; values may be scalars, arrays or objects, kept as written',
      example: { apikey: 'AIza...', timeout_ms: 3000 },
    }),
    RawJsonField(configProblem),
    // Whitelisted for class-validator; the check itself is `RawJsonField`'s.
    Allow(),
  );
}
