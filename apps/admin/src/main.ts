import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AdminModule } from './admin.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AdminModule);
  app.enableShutdownHooks();
  const port = Number(process.env.ADMIN_PORT ?? 8079);
  await app.listen(port);
  new Logger('Admin').log(`Admin service listening on http://localhost:${port}`);
}

void bootstrap();
