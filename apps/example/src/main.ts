import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExampleModule } from './example.module';

/** `PORT` (default 8089), checked before anything starts. */
function listenPort(raw = process.env.PORT): number {
  if (raw === undefined || raw === '') return 8089;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer 0-65535, got "${raw}"`);
  }
  return port;
}

async function bootstrap(): Promise<void> {
  const port = listenPort();
  const app = await NestFactory.create(ExampleModule);
  app.enableShutdownHooks();
  await app.listen(port);
  new Logger('Example').log(`Example node listening on http://localhost:${port}`);
}

bootstrap().catch((error: Error) => {
  new Logger('Example').error(error.message);
  process.exit(1);
});
