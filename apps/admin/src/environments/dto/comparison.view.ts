import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ComparedSideView {
  @ApiProperty({ example: 'staging' })
  env!: string;

  @ApiProperty({ type: 'integer', nullable: true, description: 'null: no such group there' })
  version!: number | null;
}

export class ComparedKeyView {
  @ApiProperty()
  key!: string;

  @ApiProperty({ enum: ['added', 'removed', 'changed', 'same'] })
  status!: 'added' | 'removed' | 'changed' | 'same';

  @ApiProperty({ description: 'A secret key: compared, never shown, not promoted by default' })
  secret!: boolean;

  @ApiPropertyOptional({ description: 'The value in `from` (absent for a secret key)' })
  from?: unknown;

  @ApiPropertyOptional({ description: 'The value in `to` (absent for a secret key)' })
  to?: unknown;
}

/** `GET /api/groups/:name/compare`. */
export class ComparisonView {
  @ApiProperty({ type: ComparedSideView })
  from!: ComparedSideView;

  @ApiProperty({ type: ComparedSideView })
  to!: ComparedSideView;

  @ApiProperty({ type: [ComparedKeyView] })
  keys!: ComparedKeyView[];
}

/** What a promotion copied, beside the write (or rollout) it made. */
export class PromotionView {
  @ApiProperty({ type: ComparedSideView })
  from!: ComparedSideView;

  @ApiProperty({ type: ComparedSideView })
  to!: ComparedSideView;

  @ApiProperty({ type: [String], description: 'The keys copied (or removed) into `to`' })
  keys!: string[];

  @ApiProperty({ type: [String], description: 'Secret keys that differ and were left as in `to`' })
  keptSecretKeys!: string[];
}
