import type { ConfigDict } from '@rcc/redis-config';
import { CommentField, ConfigField, VersionField } from './write-meta';

/** `PUT /api/groups/:name`. */
export class ReplaceGroupDto {
  @ConfigField()
  config!: ConfigDict;

  @VersionField({
    required: false,
    description: 'The version you edited; a newer stored version makes the write fail with 409',
  })
  expectedVersion?: number;

  @CommentField()
  comment?: string;
}
