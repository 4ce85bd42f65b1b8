import type { ConfigDict } from '@rcc/redis-config';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsGroupLookupName, IsGroupName } from '../../common/group-input.validators';
import { CommentField, ConfigField, VersionField } from '../../groups/dto/write-meta';
import { ListGroupsQuery } from '../../groups/dto/list-groups.query';

/** Payload of `rcc.groups.list`: `{ search? }`, as the REST query. */
export class ListGroupsMessage extends ListGroupsQuery {}

/** Payload of `rcc.groups.get` and `rcc.groups.delete`. */
export class GroupNameMessage {
  @IsGroupLookupName()
  name!: string;
}

/** Payload of `rcc.groups.get`: the name, and `reveal: true` (admin only) for secrets in clear. */
export class RevealGroupMessage extends GroupNameMessage {
  @IsOptional()
  @IsBoolean()
  reveal?: boolean;
}

/** Payload of `rcc.groups.publish`: the REST `PUT` body plus the name and who is writing. */
export class PublishGroupMessage {
  @IsGroupName()
  name!: string;

  @ConfigField()
  config!: ConfigDict;

  @VersionField({ required: false, description: 'The version the caller edited' })
  expectedVersion?: number;

  @CommentField()
  comment?: string;

  /** Ignored: the author is always the token's label (kept so that older callers are not refused). */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[\w.@-]+$/, { message: 'must be letters, digits or ._@-' })
  author?: string;
}
