import { CommentField, VersionField } from './write-meta';

/** `POST /api/groups/:name/rollback`. */
export class RollbackGroupDto {
  @VersionField({ required: true, description: 'The earlier version whose content to publish' })
  version!: number;

  @VersionField({
    required: false,
    description:
      'The current version you saw; a newer stored version makes the rollback fail with 409',
  })
  expectedVersion?: number;

  @CommentField()
  comment?: string;
}
