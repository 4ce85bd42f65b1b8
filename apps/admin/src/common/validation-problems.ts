import {
  ArgumentMetadata,
  BadRequestException,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import type { InputProblem } from '@rcc/redis-config/publisher';
import { rawJsonFieldRules } from './raw-json-field';

/** Flattens class-validator's tree into `{ field, message }` pairs, nested fields dotted. */
export function validationProblems(errors: ValidationError[], parent = ''): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      problems.push({ field, message: messageFor(constraint, message, error.property) });
    }
    problems.push(...validationProblems(error.children ?? [], field));
  }
  return problems;
}

function messageFor(constraint: string, message: string, property: string): string {
  if (constraint === 'whitelistValidation') return 'is not an allowed field';
  // class-validator's built-in messages start with the property name; the field says it already.
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}

/** The 400 of every bad input: a message listing the problems, and the problems themselves. */
export function badRequest(problems: InputProblem[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: problems.map((p) => `${p.field}: ${p.message}`).join('; '),
    problems,
  });
}

const NOT_DTOS: unknown[] = [String, Boolean, Number, Array, Object];
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];

/**
 * class-validator on a DTO, with what Nest's pipe does not do well:
 * - the input must be an object (an array body would be reported as fields "0", "1", ...); a
 *   missing body counts as `{}`, so the answer lists the required fields;
 * - the input is never changed: Nest's pipe deletes prototype keys in place, everywhere, so it
 *   validates a copy; a prototype key as a field is refused (400), and raw-JSON fields (configs)
 *   reach the handler exactly as sent.
 */
class AdminValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype } = metadata;
    if (!metatype || NOT_DTOS.includes(metatype) || metadata.type === 'custom') {
      return super.transform(value, metadata);
    }
    if (value === undefined || value === null) value = {};
    // A message pattern's payload arrives as 'body' too.
    const where = metadata.type;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw badRequest([{ field: where, message: 'must be a JSON object' }]);
    }
    const input = value as Record<string, unknown>;
    const reserved = PROTOTYPE_KEYS.filter((key) =>
      Object.prototype.hasOwnProperty.call(input, key),
    );
    if (reserved.length) {
      throw badRequest(reserved.map((field) => ({ field, message: 'is not an allowed field' })));
    }
    // Nest's pipe rewrites what it validates (it deletes prototype keys in place): give it a
    // copy, with raw-JSON fields left out, and check those on the value as sent.
    const rules = rawJsonFieldRules(metatype);
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(input)) {
      copy[key] = rules.some((rule) => rule.field === key) ? {} : cloneField(key, input[key]);
    }
    const rawProblems: InputProblem[] = [];
    for (const { field, problem } of rules) {
      const message = problem(input[field]);
      if (message) rawProblems.push({ field, message });
    }
    let result: Record<string, unknown>;
    try {
      result = (await super.transform(copy, metadata)) as Record<string, unknown>;
    } catch (error) {
      const problems = (
        error as { getResponse?: () => { problems?: InputProblem[] } }
      ).getResponse?.().problems;
      if (problems && rawProblems.length) throw badRequest([...problems, ...rawProblems]);
      throw error;
    }
    if (rawProblems.length) throw badRequest(rawProblems);
    for (const { field } of rules) {
      if (Object.prototype.hasOwnProperty.call(input, field)) result[field] = input[field];
    }
    return result;
  }
}

/** The global pipe: unknown fields are refused, and a 400 names every bad field. */
export function adminValidationPipe(): ValidationPipe {
  return new AdminValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    // One problem per field: the first rule it breaks.
    stopAtFirstError: true,
    transform: true,
    // Values stay as sent: "1" is not a version, "true" in a body is not a boolean.
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => badRequest(validationProblems(errors)),
  });
}

/** No field of a DTO other than a config nests this deep; deeper input is refused up front. */
const MAX_FIELD_DEPTH = 32;

/**
 * A copy of one body field. A value nested deeper than any DTO field can be is the caller's error
 * (400), refused before the copy and class-transformer recurse into it (a stack overflow, a 500).
 */
function cloneField(field: string, value: unknown): unknown {
  if (nestsDeeperThan(value, MAX_FIELD_DEPTH)) {
    throw badRequest([{ field, message: `nests deeper than ${MAX_FIELD_DEPTH} levels` }]);
  }
  return structuredClone(value);
}

/** Iterative (no recursion to overflow): true when `value` holds objects nested past `limit`. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: { item: unknown; depth: number }[] = [{ item: value, depth: 0 }];
  while (stack.length) {
    const { item, depth } = stack.pop() as { item: unknown; depth: number };
    if (item === null || typeof item !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(item)) stack.push({ item: child, depth: depth + 1 });
  }
  return false;
}
