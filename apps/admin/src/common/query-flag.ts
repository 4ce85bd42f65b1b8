import { Transform } from 'class-transformer';

const FLAGS: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };

/**
 * A boolean query parameter: `true`/`false`/`1`/`0` (any case). Query values are strings; anything
 * else stays a string, for `@IsBoolean` to refuse.
 */
export const QueryFlag = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && value.toLowerCase() in FLAGS ? FLAGS[value.toLowerCase()] : value,
  );
