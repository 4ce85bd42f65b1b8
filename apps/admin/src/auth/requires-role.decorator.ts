import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiForbiddenResponse } from '@nestjs/swagger';
import type { AdminRole } from './admin-role';

export const REQUIRED_ROLE = 'rcc:admin:required-role';

/**
 * The role a route needs. Every route that is not `@Public()` must declare one: the guard refuses
 * to serve a route that declares none (500), so a new route cannot be open by omission. OpenAPI
 * shows it as `x-rcc-role` and in the operation's description of a 403.
 */
export const RequiresRole = (role: AdminRole): MethodDecorator =>
  applyDecorators(
    SetMetadata(REQUIRED_ROLE, role),
    ApiExtension('x-rcc-role', role),
    ApiForbiddenResponse({ description: `The token's role is below "${role}".` }),
  );
