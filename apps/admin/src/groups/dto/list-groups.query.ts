import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** `GET /api/groups?search=`: plain text, matched case-insensitively inside names (no patterns). */
export class ListGroupsQuery {
  @ApiPropertyOptional({ maxLength: 128, example: 'apikey' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  search?: string;
}
