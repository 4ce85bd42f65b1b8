import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { QueryFlag } from '../../common/query-flag';

/** `POST /api/import?dryRun=true`. */
export class ImportQuery {
  @ApiPropertyOptional({
    type: Boolean,
    description: 'Only say what would be created / updated / left unchanged; write nothing',
  })
  @IsOptional()
  @QueryFlag()
  @IsBoolean({ message: 'must be true or false' })
  dryRun?: boolean;
}
