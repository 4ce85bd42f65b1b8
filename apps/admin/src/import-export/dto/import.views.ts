import { ApiProperty } from '@nestjs/swagger';

/** Response shapes of export and import, for the OpenAPI document. */
export class ExportEntryView {
  @ApiProperty() group_name!: string;
  @ApiProperty({ type: 'integer' }) group_version!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  config_dict!: Record<string, unknown> | null;
}

export class ImportPlanEntryView {
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['create', 'update', 'unchanged'] }) action!: string;
  @ApiProperty({ type: 'integer', nullable: true }) currentVersion!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) newVersion!: number | null;
}

export class ImportResultView {
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ description: 'True when the import was written (all of it)' }) applied!: boolean;
  @ApiProperty({ type: [String] }) created!: string[];
  @ApiProperty({ type: [String] }) updated!: string[];
  @ApiProperty({ type: [String] }) unchanged!: string[];
  @ApiProperty({ type: [ImportPlanEntryView] }) entries!: ImportPlanEntryView[];
}
