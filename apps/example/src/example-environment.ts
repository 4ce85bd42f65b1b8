import { plainToInstance, Transform } from 'class-transformer';
import { IsInt, Max, Min, validateSync } from 'class-validator';

const PORT_MESSAGE = { message: 'PORT must be an integer 0-65535, got "$value"' };

/**
 * The example's own variable; the library's (`REDIS_*`, `RCC_*`) are the library's to check. As a
 * user's app would write it for `ConfigModule.forRoot({ validate })`.
 */
export class ExampleEnvironment {
  // A number when the text is one, else the text itself, so that the message can show it.
  @Transform(({ value }: { value: unknown }) =>
    value === '' ? undefined : Number.isInteger(Number(value)) ? Number(value) : value,
  )
  @IsInt(PORT_MESSAGE)
  @Min(0, PORT_MESSAGE)
  @Max(65535, PORT_MESSAGE)
  PORT = 8089;
}

/** Every variable (the library reads its own from `process.env`), `PORT` checked and typed. */
export function validateExampleEnvironment(config: Record<string, unknown>): ExampleEnvironment {
  const environment = plainToInstance(ExampleEnvironment, config, { exposeUnsetFields: false });
  const [error] = validateSync(environment, { stopAtFirstError: true });
  if (error) throw new Error(Object.values(error.constraints ?? {}).join('; '));
  return environment;
}
