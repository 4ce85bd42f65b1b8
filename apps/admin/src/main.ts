import { Logger } from '@nestjs/common';
import { createAdminApp } from './admin-app.factory';
import { answeredHelp } from './help/command-line';
import { AdminSettingsModule } from './settings/admin-settings.module';

async function bootstrap(): Promise<void> {
  if (answeredHelp(process.argv.slice(2))) return;
  const settings = await AdminSettingsModule.load();
  const app = await createAdminApp({ settings });
  app.enableShutdownHooks();
  if (settings.host) await app.listen(settings.port, settings.host);
  else await app.listen(settings.port);
  const url = `http://${settings.host ?? 'localhost'}:${settings.port}`;
  const logger = new Logger('Admin');
  logger.log({ message: 'Admin service listening', url, docs: `${url}/api/docs` });
  if (settings.tokenGenerated) {
    // Printed once, outside the log stream, and only when nobody chose a token: set ADMIN_TOKEN
    // to keep one across restarts.
    process.stdout.write(
      `\nADMIN_TOKEN was not set; generated for this run:\n\n  ${settings.tokens[0].token}\n\n`,
    );
  }
}

bootstrap().catch((error: unknown) => {
  new Logger('Admin').error(
    `Admin service failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
