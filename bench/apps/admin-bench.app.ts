import {
  Body,
  Controller,
  Get,
  INestApplication,
  Injectable,
  Module,
  Param,
  Put,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { RedisConfigHealth } from '@rcc/redis-config';
import helmet from 'helmet';
import { AdminModule } from '../../apps/admin/src/admin.module';
import { accessLog } from '../../apps/admin/src/common/access-log.middleware';
import { AdminExceptionFilter } from '../../apps/admin/src/common/admin-exception.filter';
import { jsonBodyParser } from '../../apps/admin/src/common/json-body-parser';
import { GroupLookupNamePipe } from '../../apps/admin/src/groups/group-name.pipe';
import { adminValidationPipe } from '../../apps/admin/src/common/validation-problems';
import { setupOpenApi } from '../../apps/admin/src/openapi/openapi.setup';
import { resolveAdminSettings } from '../../apps/admin/src/settings/admin-settings';
import { serveBenchApp } from './bench-app-host';

/**
 * The admin bench's server: the admin service (its own module, unchanged) plus, in the same app
 * and behind the same middleware, guards, pipes and filter, a bare route that answers a constant.
 * `BENCH_ADMIN_TOKEN`, `REDIS_URL`, `RCC_NAMESPACE` come from the bench.
 */
@Injectable()
class BareAnswer {
  /** The bare route answers what `GET /api/groups/bench` answers (set after start-up). */
  value: unknown = {};
}

@Controller('api/bench-bare')
class BareController {
  constructor(private readonly answer: BareAnswer) {}

  @Get()
  read(): unknown {
    return this.answer.value;
  }

  /** Diagnostic: the bare route plus the group route's `:name` validation, nothing else. */
  @Get('validated/:name')
  readValidated(@Param('name', GroupLookupNamePipe) _name: string): unknown {
    return this.answer.value;
  }

  @Put()
  write(@Body() _body: unknown): unknown {
    return this.answer.value;
  }

  @Put('answer')
  setAnswer(@Body() body: unknown): { ok: true } {
    this.answer.value = body;
    return { ok: true };
  }
}

const settings = resolveAdminSettings(
  {},
  {
    tokens: [{ label: 'bench', token: process.env.BENCH_ADMIN_TOKEN ?? '' }],
    microservice: false,
    // Unlimited: the bench measures the route, not the write budget of one token.
    writeRateLimit: 0,
  },
);

@Module({
  imports: [AdminModule.forRoot({ settings, redisConfig: { startupTimeoutMs: 5000 } })],
  controllers: [BareController],
  providers: [BareAnswer],
})
class AdminBenchModule {}

/** As `createAdminApp` configures HTTP (apps/admin/src/admin-app.factory.ts), for both routes. */
async function create(): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AdminBenchModule, {
    bodyParser: false,
    logger: false,
  });
  app.disable('x-powered-by');
  app.use(helmet());
  app.use(accessLog());
  app.use(jsonBodyParser(settings.bodyLimitBytes));
  app.useGlobalPipes(adminValidationPipe());
  // The bench serves no refused request: nothing to audit.
  const audit = { record: async () => undefined };
  app.useGlobalFilters(new AdminExceptionFilter(app.get(RedisConfigHealth), audit));
  setupOpenApi(app);
  return app;
}

void serveBenchApp(create);
