import { ApiProperty } from '@nestjs/swagger';

/** `GET /api/info`, for the OpenAPI document. */
export class ServerInfoView {
  @ApiProperty({ enum: ['standalone', 'sentinel', 'cluster', 'shared'] }) mode!: string;
  @ApiProperty({ type: String, nullable: true, example: 'localhost' }) host!: string | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 6379 }) port!: number | null;
  @ApiProperty({ type: 'integer', example: 0 }) db!: number;
  @ApiProperty({ type: [String] }) endpoints!: string[];
  @ApiProperty({ type: String, nullable: true }) sentinelName!: string | null;
  @ApiProperty() tls!: boolean;
  @ApiProperty({ example: 'rcc::config::redis_config_center' }) namespace!: string;
  @ApiProperty({ example: 'PRODUCTION' }) environment!: string;
  @ApiProperty({ description: 'Whether the admin is connected to Redis now' }) connected!: boolean;
}
