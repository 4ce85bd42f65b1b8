/** One problem with an input: where it is (`field`) and what is wrong. */
export interface InputProblem {
  field: string;
  message: string;
}

/** Input from outside (a name, a config, an import file) that is refused whole; nothing was written. */
export class InvalidConfigInputError extends Error {
  override readonly name = 'InvalidConfigInputError';

  constructor(readonly problems: InputProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  }
}
