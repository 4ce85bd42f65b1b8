import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

const FLAGS: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };

/** `POST /api/import?dryRun=true`. */
export class ImportQuery {
  @ApiPropertyOptional({
    type: Boolean,
    description: 'Only say what would be created / updated / left unchanged; write nothing',
  })
  @IsOptional()
  // Query values are strings; anything other than true/false/1/0 stays a string and is refused.
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && value.toLowerCase() in FLAGS ? FLAGS[value.toLowerCase()] : value,
  )
  @IsBoolean({ message: 'must be true or false' })
  dryRun?: boolean;
}
