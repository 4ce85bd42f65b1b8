import { ApiProperty } from '@nestjs/swagger';

/** A shared group a node follows, and the version of it the node runs. */
export class SharedGroupView {
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'integer', nullable: true, description: 'null: the group does not exist' })
  version!: number | null;
}

/** A live node as `GET /api/nodes` returns it, for the OpenAPI document. */
export class NodeView {
  @ApiProperty({ description: 'Stable node id (RCC_NODE_ID)' }) id!: string;
  @ApiProperty({ example: '10.0.3.17' }) address!: string;
  @ApiProperty({ description: 'The group it asked for (DEFAULT_CONFIG_GROUP)' })
  requestedGroup!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The group it holds' })
  group!: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'The version it runs' })
  version!: number | null;
  @ApiProperty({
    enum: ['pinned', 'assigned', 'none'],
    description: 'pinned (its requested group exists), assigned from the pool, or none',
  })
  holding!: string;
  @ApiProperty({
    type: [SharedGroupView],
    description: 'Its shared groups (RCC_SHARED_GROUPS), lowest precedence first',
  })
  shared!: SharedGroupView[];
  @ApiProperty({ format: 'date-time' }) heartbeatAt!: string;
  @ApiProperty({ format: 'date-time' }) leaseExpiresAt!: string;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'When it applied the version it runs (the node clock); null when it does not say',
  })
  appliedAt!: string | null;
}
