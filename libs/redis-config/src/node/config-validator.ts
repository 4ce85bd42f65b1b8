import type { ClassConstructor } from 'class-transformer';
import type { ValidateFunction, ValidationClass } from '../options/redis-config.options';

/**
 * The `validate` option as one function that throws with a readable message: a plain function
 * is used as is; a class-validator class checks an instance built from the config.
 */
export function toValidateFunction(
  validate: ValidateFunction | ValidationClass | null,
): ValidateFunction {
  if (!validate) return () => undefined;
  if (!isClass(validate)) return validate as ValidateFunction;
  // Loaded only when a class is given: class-validator alone is ~300 files, most of what this
  // module would add to an app's start-up otherwise.
  const { plainToInstance } = require('class-transformer') as typeof import('class-transformer');
  const { validateSync } = require('class-validator') as typeof import('class-validator');
  return (config) => {
    const schema = validate as unknown as ClassConstructor<object>;
    // No schema property can be named like these, and class-validator finds a class's rules
    // through `instance.constructor`: they are left out of what it checks.
    const plain = Object.fromEntries(
      Object.entries(config).filter(([key]) => !PROTOTYPE_KEYS.includes(key)),
    );
    let instance: object;
    try {
      instance = plainToInstance(schema, plain);
    } catch {
      // class-transformer takes a nested key named "constructor" for a type and throws: validate
      // the top level as given instead of refusing a valid config for a reason it cannot name.
      instance = Object.assign(Object.create(schema.prototype) as object, plain);
    }
    const errors = validateSync(instance as object, { forbidUnknownValues: true });
    if (errors.length) {
      const details = errors
        .map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ') || 'invalid'}`)
        .join('; ');
      throw new Error(details);
    }
  };
}

const PROTOTYPE_KEYS = ['constructor', '__proto__', 'prototype'];

function isClass(value: unknown): boolean {
  return typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value));
}
