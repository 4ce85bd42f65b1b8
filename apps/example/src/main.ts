import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExampleModule } from './example.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(ExampleModule);
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 8089);
  await app.listen(port);
  new Logger('Example').log(`Example node listening on http://localhost:${port}`);
}

void bootstrap();
