import { Logger, Module } from '@nestjs/common';
import { ServeStaticModule, ServeStaticModuleOptions } from '@nestjs/serve-static';
import { join } from 'node:path';
import { setConsoleCacheHeaders } from './console-cache-headers';
import { findConsoleDirectory } from './console-directory';

/** Paths the console must never answer: the REST API, its OpenAPI pages, and health. */
export const CONSOLE_EXCLUDED_PATHS = ['/api', '/api/{*rest}', '/health', '/health/{*rest}'];

/**
 * Serves the web console (a static single-page app) at `/`. It needs no token to load: every API
 * call it makes carries the bearer token, and the API routes stay with their own controllers.
 */
@Module({
  imports: [
    ServeStaticModule.forRootAsync({
      // Resolved when the app is created, so a console built after this file was loaded is found.
      useFactory: (): ServeStaticModuleOptions[] => {
        const rootPath = findConsoleDirectory();
        if (!rootPath) {
          new Logger('Console').error(
            'The web console is not built (no dist/console/index.html): run `npm run build:console`',
          );
        }
        return [
          {
            rootPath: rootPath ?? join(process.cwd(), 'dist/console'),
            // The console routes with the URL hash: only `/` is the app, other paths are 404s.
            renderPath: '/',
            exclude: CONSOLE_EXCLUDED_PATHS,
            serveStaticOptions: {
              index: 'index.html',
              fallthrough: true,
              setHeaders: setConsoleCacheHeaders,
            },
          },
        ];
      },
    }),
  ],
})
export class ConsoleModule {}
