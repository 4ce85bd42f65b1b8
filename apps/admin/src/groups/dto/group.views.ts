import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Response shapes of the groups API, for the OpenAPI document. */
export class GroupSummaryView {
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ type: 'integer', description: 'Number of top-level keys' }) keyCount!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) updatedAt!: string | null;
  @ApiProperty({ type: 'integer', description: 'Live nodes holding this group' })
  nodeCount!: number;
  @ApiProperty({
    type: 'integer',
    description: 'Live nodes following this group as a shared group (RCC_SHARED_GROUPS)',
  })
  sharedNodeCount!: number;
}

export class GroupView {
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) config!: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) updatedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Label of the token that wrote it' })
  author!: string | null;
  @ApiProperty({ type: String, nullable: true }) comment!: string | null;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description:
      'Masked answers only: a short keyed digest per secret key (equal: same value), comparable between answers of one admin process (its key is drawn at start)',
  })
  secretDigests?: Record<string, string>;
  @ApiPropertyOptional({
    type: [String],
    description:
      'Keys whose values are stored encrypted (names only; absent when none): masked whatever their name',
  })
  sealedKeys?: string[];
}

/** The answer of a write (create, replace, rollback): the version written and what it changed. */
export class GroupWriteView extends GroupView {
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'The version it replaced; null when the write created the group',
  })
  previousVersion!: number | null;
  @ApiProperty({
    type: [String],
    description: 'Top-level keys added, removed or changed by the write (names only), sorted',
  })
  changedKeys!: string[];
}

export class HistoryEntryView extends GroupView {
  @ApiProperty({ description: 'True for the version the group holds now' }) current!: boolean;
}

export class DeletedGroupView {
  @ApiProperty() name!: string;
  @ApiProperty() deleted!: boolean;
  @ApiProperty({ type: [String], description: 'Nodes that held it and are being reassigned' })
  reassignedNodes!: string[];
  @ApiProperty({
    type: [String],
    description: 'Nodes that followed it as a shared group: its keys left their effective config',
  })
  sharedNodes!: string[];
  @ApiProperty({ type: 'integer', description: 'How many nodes followed it as a shared group' })
  sharedNodeCount!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'A warning when nodes followed it as a shared group; null otherwise',
  })
  warning!: string | null;
}

export class ProblemView {
  @ApiProperty({ example: 'config' }) field!: string;
  @ApiProperty({ example: 'must be a JSON object' }) message!: string;
}

export class ErrorView {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ type: [ProblemView] }) problems?: ProblemView[];
  @ApiPropertyOptional({ type: 'integer', nullable: true }) expectedVersion?: number | null;
  @ApiPropertyOptional({ type: 'integer', nullable: true }) actualVersion?: number | null;
}
