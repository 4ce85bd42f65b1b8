import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'rcc:admin:public';

/** Opens a route without the bearer token (health checks). Every other route needs one. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
