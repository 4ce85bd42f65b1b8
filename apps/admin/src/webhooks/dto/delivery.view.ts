import { ApiProperty } from '@nestjs/swagger';

/** One delivery attempt, as `GET /api/webhooks/deliveries` lists it. */
export class DeliveryView {
  @ApiProperty({ format: 'date-time', description: 'When the attempt ended (Redis time)' })
  at!: string;
  @ApiProperty({ description: 'Delivery id (sent as X-RCC-Delivery): one event to one target' })
  delivery!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty({ enum: ['published', 'deleted', 'rolled-back', 'imported'] }) event!: string;
  @ApiProperty({ description: "The target's scheme, host and port (never its path or query)" })
  origin!: string;
  @ApiProperty({ description: 'Position of the target in RCC_WEBHOOKS, from 1' }) target!: number;
  @ApiProperty() attempt!: number;
  @ApiProperty({ enum: ['delivered', 'retrying', 'failed'] }) outcome!: string;
  @ApiProperty({ type: 'integer', nullable: true }) status!: number | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty() durationMs!: number;
}
