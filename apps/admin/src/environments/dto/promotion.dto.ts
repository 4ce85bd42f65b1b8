import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CommentField, VersionField } from '../../groups/dto/write-meta';
import { RolloutStepDto, StartRolloutDto } from '../../rollouts/dto/start-rollout.dto';

const ENVIRONMENT_NAME = /^[A-Za-z][\w-]{0,31}$/;
const NAME_MESSAGE = 'must be the name of an environment (GET /api/environments)';

function EnvironmentName(description: string): PropertyDecorator {
  return (target, key) => {
    ApiProperty({ example: key === 'from' ? 'staging' : 'production', description })(target, key);
    IsString({ message: NAME_MESSAGE })(target, key);
    Matches(ENVIRONMENT_NAME, { message: NAME_MESSAGE })(target, key);
  };
}

/** `GET /api/groups/:name/compare?from=&to=`. */
export class CompareQuery {
  @EnvironmentName('The environment to promote from')
  from!: string;

  @EnvironmentName('The environment to promote into')
  to!: string;
}

/** `POST /api/groups/:name/promote`. */
export class PromoteDto extends CompareQuery {
  @ApiPropertyOptional({
    type: [String],
    description:
      'The top-level keys to copy (a key absent from `from` is removed from `to`). Default: every ' +
      'key that differs, except secret keys, which stay as they are in `to`; only an admin may ' +
      'list a secret key.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(256, { each: true })
  keys?: string[];

  @VersionField({
    required: false,
    description: 'The version of the group in `to` you compared against; newer → 409',
  })
  expectedVersion?: number;

  @ApiPropertyOptional({
    type: [RolloutStepDto],
    description:
      'Start a rollout in `to` (DESIGN §13) with these canary steps instead of a publish',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => RolloutStepDto)
  steps?: StartRolloutDto['steps'];

  @CommentField()
  comment?: string;
}
