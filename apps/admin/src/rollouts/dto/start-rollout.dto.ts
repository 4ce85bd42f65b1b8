import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type ConfigDict } from '@rcc/redis-config';
import { stepsProblem } from '@rcc/redis-config/publisher';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { CommentField, ConfigField, VersionField } from '../../groups/dto/write-meta';

/** One canary step of `POST /api/groups/:name/rollouts`. */
export class RolloutStepDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100, example: 34 })
  @IsInt()
  @Min(1)
  @Max(100)
  percent!: number;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 86_400_000, example: 60_000 })
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  bakeMs!: number;
}

/** Percents in strictly increasing order (each field's own range is checked by its DTO). */
function IncreasingPercents(): PropertyDecorator {
  return ValidateBy({
    name: 'increasingPercents',
    validator: {
      validate: (value: unknown) => {
        const problem = stepsProblem(value);
        return problem === null || !problem.message.startsWith('must be greater');
      },
      defaultMessage: () =>
        'percents must be in increasing order (each greater than the one before)',
    },
  });
}

/** `POST /api/groups/:name/rollouts`. */
export class StartRolloutDto {
  @ConfigField()
  config!: ConfigDict;

  @VersionField({
    required: false,
    description: 'The version you edited; a newer stored version makes the rollout fail with 409',
  })
  expectedVersion?: number;

  @ApiPropertyOptional({
    type: [RolloutStepDto],
    description:
      'Canary steps, percent 1–100 in increasing order; none: verify, then promote at once',
    example: [
      { percent: 34, bakeMs: 60000 },
      { percent: 100, bakeMs: 60000 },
    ],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => RolloutStepDto)
  @IncreasingPercents()
  steps?: RolloutStepDto[];

  @CommentField()
  comment?: string;
}
