import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AUDIT_ACTIONS, type AuditAction } from '../audit-entry';

/** `GET /api/audit?group=&actor=&action=&limit=&format=`. */
export class AuditQuery {
  @ApiPropertyOptional({ description: 'Only entries of this group (or imports that wrote it)' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  group?: string;

  @ApiPropertyOptional({ description: 'Only entries of this token label' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  actor?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS, { message: `must be one of ${AUDIT_ACTIONS.join(', ')}` })
  action?: AuditAction;

  @ApiPropertyOptional({ minimum: 1, maximum: 10000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer from 1 to 10000' })
  @Min(1, { message: 'must be an integer from 1 to 10000' })
  @Max(10000, { message: 'must be an integer from 1 to 10000' })
  limit?: number;

  @ApiPropertyOptional({ enum: ['json', 'jsonl'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'jsonl'], { message: 'must be json or jsonl' })
  format?: 'json' | 'jsonl';
}
