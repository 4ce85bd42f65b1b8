import { IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsGroupLookupName, IsGroupName } from '../../common/group-input.validators';
import { StartRolloutDto } from '../../rollouts/dto/start-rollout.dto';

class Author {
  /** Ignored: the author is always the token's label (kept so that older callers are not refused). */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[\w.@-]+$/, { message: 'must be letters, digits or ._@-' })
  author?: string;
}

/** Payload of `rcc.rollouts.start`: the REST body plus the group's name and who starts it. */
export class StartRolloutMessage extends StartRolloutDto {
  @IsGroupName()
  name!: string;

  /** Ignored: the author is always the token's label (kept so that older callers are not refused). */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[\w.@-]+$/, { message: 'must be letters, digits or ._@-' })
  author?: string;
}

/** Payload of `rcc.rollouts.get`: `reveal: true` (admin only) shows the candidate's secrets. */
export class RolloutGroupMessage {
  @IsGroupLookupName()
  name!: string;

  @IsOptional()
  @IsBoolean()
  reveal?: boolean;
}

/** Payload of `rcc.rollouts.promote` and `rcc.rollouts.abort`. */
export class RolloutActionMessage extends Author {
  @IsGroupLookupName()
  name!: string;
}
