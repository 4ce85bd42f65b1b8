import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { QueryFlag } from '../common/query-flag';

/** `?reveal=true`: secrets in clear, for a token with the `admin` role only. */
export class RevealQuery {
  @ApiPropertyOptional({
    type: Boolean,
    description: 'Show secret values in clear (RCC_SECRET_KEYS); needs the admin role (403 else)',
  })
  @IsOptional()
  @QueryFlag()
  @IsBoolean({ message: 'must be true or false' })
  reveal?: boolean;
}
