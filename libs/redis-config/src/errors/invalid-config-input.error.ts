/** One problem with an input: where it is (`field`) and what is wrong. */
export interface InputProblem {
  /** Where: `name`, `config`, `expectedVersion`, or a path in an import file (`[2].group_name`). */
  field: string;
  /** What is wrong, e.g. `must not be empty`. */
  message: string;
}

/** Input from outside (a name, a config, an import file) that is refused whole; nothing was written. */
export class InvalidConfigInputError extends Error {
  /** Always `'InvalidConfigInputError'`. */
  override readonly name = 'InvalidConfigInputError';

  constructor(
    /** Every problem found, at least one. */
    readonly problems: InputProblem[],
  ) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  }
}
