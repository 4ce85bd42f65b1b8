import { ApiProperty } from '@nestjs/swagger';
import { IsGroupLookupName, IsGroupName } from '../../common/group-input.validators';

/** `:name` of a route that reads or deletes a group. */
export class GroupNameParams {
  @ApiProperty({ description: 'Group name (URL-encoded)', example: 'apikey-1' })
  @IsGroupLookupName()
  name!: string;
}

/** `:name` of a route that writes a group: the full naming rule applies. */
export class WritableGroupNameParams {
  @ApiProperty({
    description: '1-128 characters, no control characters, no leading/trailing space, no { or }',
    example: 'apikey-1',
  })
  @IsGroupName()
  name!: string;
}
