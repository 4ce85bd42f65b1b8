import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { ExampleEnvironment } from './example-environment';
import { ExampleModule } from './example.module';

async function bootstrap(): Promise<void> {
  // abortOnError: false, so that a bad variable ends in the one line below.
  const app = await NestFactory.create(ExampleModule, { abortOnError: false });
  const port = app.get(ConfigService<ExampleEnvironment, true>).get('PORT', { infer: true });
  app.enableShutdownHooks();
  await app.listen(port);
  new Logger('Example').log(`Example node listening on http://localhost:${port}`);
}

bootstrap().catch((error: Error) => {
  new Logger('Example').error(error.message);
  process.exit(1);
});
