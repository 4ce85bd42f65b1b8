import { ApiProperty } from '@nestjs/swagger';
import { ADMIN_ROLES, type AdminRole } from './admin-role';

/** `GET /api/session`: who the presented token is, so a client can offer only what it may do. */
export class SessionView {
  @ApiProperty({ description: "The token's label (the author of its writes)", example: 'alice' })
  label!: string;

  @ApiProperty({ enum: ADMIN_ROLES, description: 'What the token may do (DESIGN §14)' })
  role!: AdminRole;
}
