import { Controller, Get, Inject, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { RequiresRole } from '../auth/requires-role.decorator';
import { ErrorView } from '../groups/dto/group.views';
import { DeliveriesQuery } from './dto/deliveries.query';
import { DeliveryView } from './dto/delivery.view';
import { DeliveryLogEntry, WebhookQueue } from './webhook-queue';
import { WEBHOOK_SETTINGS, WebhookSettings } from './webhook.settings';

@ApiTags('webhooks')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorView })
@Controller('api/webhooks')
export class WebhooksController {
  constructor(
    private readonly queue: WebhookQueue,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
  ) {}

  @Get('deliveries')
  @RequiresRole('admin') // DESIGN §15: the targets and outcomes of every write are an admin's view
  @ApiOperation({
    summary: 'The latest webhook delivery attempts, newest first (RCC_WEBHOOK_LOG_LIMIT kept)',
  })
  @ApiOkResponse({ type: [DeliveryView] })
  deliveries(@Query() query: DeliveriesQuery): Promise<DeliveryLogEntry[]> {
    return this.queue.deliveries(Math.min(query.limit ?? 50, this.settings.logLimit));
  }
}
