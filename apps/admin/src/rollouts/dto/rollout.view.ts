import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type ConfigDict } from '@rcc/redis-config';
import { ROLLOUT_STATUSES, type RolloutStatus } from '@rcc/redis-config/publisher';

export class RolloutStepView {
  @ApiProperty({ type: 'integer' }) percent!: number;
  @ApiProperty({ type: 'integer' }) bakeMs!: number;
}

export class RolloutProblemView {
  @ApiProperty() nodeId!: string;
  @ApiProperty({ description: 'Why its validate refused, or the problem it reported' })
  reason!: string;
  @ApiProperty({ type: String, nullable: true, description: 'ISO time (Redis clock)' })
  at!: string | null;
}

export class RolloutNodeView {
  @ApiProperty() id!: string;
  @ApiProperty({ type: 'integer', nullable: true, description: 'The version it runs' })
  version!: number | null;
  @ApiProperty({ description: 'Chosen to run the candidate' }) canary!: boolean;
}

/** A rollout (DESIGN §13); its candidate's secrets masked like every config. */
export class RolloutView {
  @ApiProperty() id!: string;
  @ApiProperty() group!: string;
  @ApiProperty({ type: 'integer' }) baseVersion!: number;
  @ApiProperty({ type: 'integer', description: 'The candidate: baseVersion + 1' })
  version!: number;
  @ApiProperty({ enum: ROLLOUT_STATUSES }) status!: RolloutStatus;
  @ApiProperty({ type: 'integer', description: '0 while verifying; 1…steps.length' })
  step!: number;
  @ApiProperty({ type: [RolloutStepView] }) steps!: RolloutStepView[];
  @ApiProperty({ type: [String] }) canaryNodes!: string[];
  @ApiProperty({ type: [RolloutProblemView] }) problems!: RolloutProblemView[];
  @ApiProperty({ type: 'object', additionalProperties: true }) config!: ConfigDict;
  @ApiProperty() startedAt!: string;
  @ApiProperty({ type: String, nullable: true }) stepStartedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'ISO time the current step ends' })
  stepEndsAt!: string | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Rolled back after canaries ran: the stable content was written at this version',
  })
  revertedVersion!: number | null;
  @ApiProperty({ type: String, nullable: true }) author!: string | null;
  @ApiProperty({ type: String, nullable: true }) comment!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why it ended' })
  outcome!: string | null;
  @ApiPropertyOptional({ type: [RolloutNodeView], description: 'Live holders of the group' })
  nodes!: RolloutNodeView[];
}
