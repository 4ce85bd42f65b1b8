import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { ValidateFunction, ValidationClass } from '../redis-config.options';

/**
 * The `validate` option as one function that throws with a readable message: a plain function
 * is used as is; a class-validator class checks an instance built from the config.
 */
export function toValidateFunction(
  validate: ValidateFunction | ValidationClass | null,
): ValidateFunction {
  if (!validate) return () => undefined;
  if (!isClass(validate)) return validate as ValidateFunction;
  return (config) => {
    const instance = plainToInstance(
      validate as unknown as ClassConstructor<object>,
      config as object,
    );
    const errors = validateSync(instance as object, { forbidUnknownValues: true });
    if (errors.length) {
      const details = errors
        .map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ') || 'invalid'}`)
        .join('; ');
      throw new Error(details);
    }
  };
}

function isClass(value: unknown): boolean {
  return typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value));
}
