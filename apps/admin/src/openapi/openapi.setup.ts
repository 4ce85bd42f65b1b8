import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

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
  documentEnvironmentParameter(document);
  SwaggerModule.setup(OPENAPI_PATH, app, document, {
    jsonDocumentUrl: `${OPENAPI_PATH}-json`,
    customSiteTitle: 'RCC admin API',
  });
}

/**
 * `?env=` on every `/api` route but the list of environments (DESIGN §19): read by one
 * interceptor, so no route declares it; documented here once for all.
 */
function documentEnvironmentParameter(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/api/') || path === '/api/environments') continue;
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      operation.parameters = [
        ...(operation.parameters ?? []),
        {
          name: 'env',
          in: 'query',
          required: false,
          description:
            'The environment (GET /api/environments); default: the first. Unknown: 400 naming the known ones',
          schema: { type: 'string' },
        },
      ];
    }
  }
}
