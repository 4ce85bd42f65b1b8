import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHANGE_ACTIONS, CHANGE_STATUSES } from '../change-request';

export class ChangeDiffEntryView {
  @ApiProperty() key!: string;
  @ApiProperty({ enum: ['added', 'removed', 'changed'] }) status!: string;
  @ApiProperty({ description: 'A secret key: its values are never in a diff' }) secret!: boolean;
  @ApiPropertyOptional({ description: 'The value before (absent for a secret key)' })
  from?: unknown;
  @ApiPropertyOptional({ description: 'The value after (absent for a secret key)' }) to?: unknown;
}

/** A change request (DESIGN §19); answered 202 when a write in a protected environment made it. */
export class ChangeView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: CHANGE_STATUSES }) status!: string;
  @ApiProperty({ example: 'production' }) env!: string;
  @ApiProperty({ enum: CHANGE_ACTIONS }) action!: string;
  @ApiProperty({ type: String, nullable: true, description: 'null for an import' })
  group!: string | null;
  @ApiPropertyOptional({ type: [String], description: 'An import: the groups of its file' })
  groups?: string[];
  @ApiProperty({ description: 'The label of the token that asked' }) author!: string;
  @ApiProperty({ type: 'integer', nullable: true, description: 'The version it was made against' })
  baseVersion!: number | null;
  @ApiProperty({ type: [ChangeDiffEntryView] }) diff!: ChangeDiffEntryView[];
  @ApiProperty({ type: String, nullable: true }) comment!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) decidedBy!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) decidedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) outcome!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) appliedVersion!: number | null;
}
