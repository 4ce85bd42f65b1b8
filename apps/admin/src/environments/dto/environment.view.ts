import { ApiProperty } from '@nestjs/swagger';

/** One environment the admin serves (DESIGN §19); never its URL, host or password. */
export class EnvironmentView {
  @ApiProperty({ example: 'production' })
  name!: string;

  @ApiProperty({ example: 'rcc::config::redis_config_center' })
  namespace!: string;

  @ApiProperty({ description: 'In RCC_PROTECTED_ENVIRONMENTS: writes become change requests' })
  protected!: boolean;
}
