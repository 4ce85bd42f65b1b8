import { Controller, Get, Header, NotFoundException, Param } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

/**
 * `GET /config-service/:key`: the node's group read as an app written against `ConfigService`
 * reads it, under `RCC_CONFIG_SERVICE_NAMESPACE` (DESIGN §17).
 */
@Controller('config-service')
export class ConfigServiceController {
  constructor(private readonly configService: ConfigService) {}

  /** As JSON (a string too), like `GET /config/:key`; 404 when undefined. */
  @Get(':key')
  @Header('Content-Type', 'application/json; charset=utf-8')
  value(@Param('key') key: string): string {
    // The library reads the same variable (this node sets no option in code): a node needs no
    // publisher's API to know it.
    const namespace = this.configService.get<string>('RCC_CONFIG_SERVICE_NAMESPACE');
    if (!namespace) {
      throw new NotFoundException('RCC_CONFIG_SERVICE_NAMESPACE is not set on this node');
    }
    const value: unknown = this.configService.get(`${namespace}.${key}`);
    if (value === undefined) {
      throw new NotFoundException(`ConfigService has no "${namespace}.${key}"`);
    }
    return JSON.stringify(value);
  }
}
