import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const OPENAPI_PATH = 'api/docs';

/**
 * The OpenAPI document at `/api/docs` (UI) and `/api/docs-json`. They describe the API and hold
 * no data, so they are served without the token; the UI's "Authorize" button takes it.
 */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Redis Config Center — admin API')
    .setDescription(
      'Config groups in Redis: publish, version, roll back, import/export, and the live nodes. ' +
        'Every /api route needs `Authorization: Bearer <ADMIN_TOKEN>`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(OPENAPI_PATH, app, document, {
    jsonDocumentUrl: `${OPENAPI_PATH}-json`,
    customSiteTitle: 'RCC admin API',
  });
}
