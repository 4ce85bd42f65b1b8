import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { ConfigGroupRecord, NodeInfo, NodeRegistry } from '@rcc/redis-config';
import {
  DeletedGroup,
  GroupAdminService,
  GroupSummaryWithNodes,
} from '../groups/group-admin.service';
import { AdminPatterns } from './admin-patterns';
import { GroupNameMessage, ListGroupsMessage, PublishGroupMessage } from './dto/group-messages';
import {
  RolloutActionMessage,
  RolloutGroupMessage,
  StartRolloutMessage,
} from './dto/rollout-messages';
import { RolloutService } from '../rollouts/rollout.service';
import { rolloutView } from '../rollouts/rollout-view';
import type { RolloutView } from '../rollouts/dto/rollout.view';

/** Author of writes over the message transport when the caller does not name itself. */
export const RPC_DEFAULT_AUTHOR = 'rpc';

/**
 * The admin operations as message patterns over the Redis transport, for other Nest services
 * holding a `ClientProxy`. Same service, same validation, same error bodies as the REST API.
 */
@ApiExcludeController() // message patterns, not HTTP routes
@Controller()
export class AdminRpcController {
  constructor(
    private readonly groups: GroupAdminService,
    private readonly nodes: NodeRegistry,
    private readonly rollouts: RolloutService,
  ) {}

  @MessagePattern(AdminPatterns.listGroups)
  list(@Payload() message: ListGroupsMessage): Promise<GroupSummaryWithNodes[]> {
    return this.groups.list(message.search);
  }

  @MessagePattern(AdminPatterns.getGroup)
  get(@Payload() message: GroupNameMessage): Promise<ConfigGroupRecord> {
    return this.groups.get(message.name);
  }

  @MessagePattern(AdminPatterns.publishGroup)
  publish(@Payload() message: PublishGroupMessage): Promise<ConfigGroupRecord> {
    return this.groups.publish(message.name, message.config, {
      author: message.author ?? RPC_DEFAULT_AUTHOR,
      comment: message.comment,
      expectedVersion: message.expectedVersion,
    });
  }

  @MessagePattern(AdminPatterns.deleteGroup)
  delete(@Payload() message: GroupNameMessage): Promise<DeletedGroup> {
    return this.groups.delete(message.name);
  }

  @MessagePattern(AdminPatterns.listNodes)
  listNodes(): Promise<NodeInfo[]> {
    return this.nodes.list();
  }

  @MessagePattern(AdminPatterns.startRollout)
  async startRollout(@Payload() message: StartRolloutMessage): Promise<RolloutView> {
    const reading = await this.rollouts.start(message.name, {
      config: message.config,
      expectedVersion: message.expectedVersion,
      steps: message.steps?.map(({ percent, bakeMs }) => ({ percent, bakeMs })),
      comment: message.comment,
      author: message.author ?? RPC_DEFAULT_AUTHOR,
    });
    return rolloutView(reading);
  }

  @MessagePattern(AdminPatterns.getRollout)
  async getRollout(@Payload() message: RolloutGroupMessage): Promise<RolloutView> {
    return rolloutView(await this.rollouts.read(message.name));
  }

  @MessagePattern(AdminPatterns.promoteRollout)
  async promoteRollout(@Payload() message: RolloutActionMessage): Promise<RolloutView> {
    return rolloutView(
      await this.rollouts.promote(message.name, message.author ?? RPC_DEFAULT_AUTHOR),
    );
  }

  @MessagePattern(AdminPatterns.abortRollout)
  async abortRollout(@Payload() message: RolloutActionMessage): Promise<RolloutView> {
    return rolloutView(
      await this.rollouts.abort(message.name, message.author ?? RPC_DEFAULT_AUTHOR),
    );
  }
}
