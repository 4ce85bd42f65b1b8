import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, ValidateBy, validateSync } from 'class-validator';
import {
  booleanProblem,
  integerProblem,
  isBlank,
  readBoolean,
  readInteger,
} from '@rcc/redis-config/publisher';

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

/** An empty or blank text variable is unset (its default applies), as in a shell `VAR=`. */
export const BlankAsUnset = () =>
  Transform(({ value }: { value: unknown }) => (isBlank(value) ? undefined : value));

/**
 * An integer variable from `min` to `max`, by the library's env parser (the rules of every
 * integer variable); the message repeats the text, as the value is not secret.
 */
export function IntegerVariable(min: number, max = Number.MAX_SAFE_INTEGER): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      isBlank(value) ? undefined : (readInteger(value) ?? value),
    ),
    IsOptional(),
    ValidateBy({
      name: 'integerVariable',
      validator: {
        validate: (value: unknown) => typeof value === 'number' && value >= min && value <= max,
        defaultMessage: (args) =>
          integerProblem(String(args?.property), String(args?.value), min, max),
      },
    }),
  );
}

/** `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`, any case), by the library's env parser. */
export function BooleanVariable(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      isBlank(value) ? undefined : (readBoolean(value) ?? value),
    ),
    IsOptional(),
    IsBoolean({ message: (args) => booleanProblem(args.property, args.value) }),
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
