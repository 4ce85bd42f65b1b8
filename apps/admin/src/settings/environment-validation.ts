import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, ValidateBy, validateSync } from 'class-validator';

type Variables = Record<string, unknown>;

/**
 * `ConfigModule.forRoot({ validate })` for the apps: `config` is the `.env` file merged under the
 * real environment. Returns every variable (the library reads its own `RCC_*` and `REDIS_*` from
 * `process.env`, where `ConfigModule` puts those of the `.env` file), the class's typed. Throws one
 * error listing each bad variable; the messages are the constraints' own, never a value
 * class-validator would append, so a secret cannot end up in a log.
 */
export function validateEnvironment<T extends object>(
  type: new () => T,
  config: Variables,
): T & Variables {
  const environment = plainToInstance(type, config, { exposeUnsetFields: false });
  const errors = validateSync(environment, {
    validationError: { target: false, value: false },
    stopAtFirstError: true,
  });
  if (errors.length) {
    throw new Error(errors.flatMap((error) => Object.values(error.constraints ?? {})).join('; '));
  }
  return environment as T & Variables;
}

/** An empty or blank variable counts as unset, so that its default applies. */
const blank = (value: unknown) => typeof value === 'string' && value.trim() === '';

/** An empty or blank text variable is unset (its default applies), as in a shell `VAR=`. */
export const BlankAsUnset = () =>
  Transform(({ value }: { value: unknown }) => (blank(value) ? undefined : value));

/** An integer variable from `min` to `max`; the message repeats the text, as the value is not secret. */
export function IntegerVariable(min: number, max = Number.MAX_SAFE_INTEGER): PropertyDecorator {
  const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => {
      if (blank(value)) return undefined;
      const parsed = typeof value === 'string' ? Number(value) : value;
      return Number.isSafeInteger(parsed) ? parsed : value;
    }),
    IsOptional(),
    ValidateBy({
      name: 'integerVariable',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max,
        defaultMessage: (args) =>
          `${args?.property} must be an integer ${range}, got ${JSON.stringify(String(args?.value))}`,
      },
    }),
  );
}

const TRUE_WORDS = ['1', 'true', 'yes', 'on'];
const FALSE_WORDS = ['0', 'false', 'no', 'off'];

/** `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`, any case). */
export function BooleanVariable(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => {
      if (typeof value !== 'string') return value;
      const word = value.trim().toLowerCase();
      if (!word) return undefined;
      if (TRUE_WORDS.includes(word)) return true;
      if (FALSE_WORDS.includes(word)) return false;
      return value;
    }),
    IsOptional(),
    IsBoolean({
      message: (args) =>
        `${args.property} must be true or false, got ${JSON.stringify(args.value)}`,
    }),
  );
}

/** One of `choices`, in any case. */
export function ChoiceVariable(choices: readonly string[]): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => {
      if (typeof value !== 'string') return value;
      const word = value.trim().toLowerCase();
      if (!word) return undefined;
      return choices.includes(word) ? word : value;
    }),
    IsOptional(),
    IsIn(choices, {
      message: (args) =>
        `${args.property} must be ${choices.map((choice) => `"${choice}"`).join(' or ')}, got ${JSON.stringify(args.value)}`,
    }),
  );
}
