import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsGroupLookupName } from '../../common/group-input.validators';
import { CHANGE_STATUSES, type ChangeStatus } from '../change-request';

/** `GET /api/changes?status=&group=` (`?env=` as on every route; absent: every environment). */
export class ListChangesQuery {
  @ApiPropertyOptional({ enum: CHANGE_STATUSES })
  @IsOptional()
  @IsIn(CHANGE_STATUSES, { message: `must be one of ${CHANGE_STATUSES.join(', ')}` })
  status?: ChangeStatus;

  @ApiPropertyOptional({ example: 'apikey-1' })
  @IsOptional()
  @IsGroupLookupName()
  group?: string;
}
