import { ApiProperty } from '@nestjs/swagger';
import type { ConfigDict } from '@rcc/redis-config';
import { IsGroupName } from '../../common/group-input.validators';
import { CommentField, ConfigField } from './write-meta';

/** `POST /api/groups`. */
export class CreateGroupDto {
  @ApiProperty({ example: 'apikey-1', minLength: 1, maxLength: 128 })
  @IsGroupName()
  name!: string;

  @ConfigField()
  config!: ConfigDict;

  @CommentField()
  comment?: string;
}
