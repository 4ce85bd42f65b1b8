import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import type { ConfigGroupRecord, NodeInfo } from '@rcc/redis-config/publisher';
import { AdminEnvironments } from '../environments/admin-environments';
import {
  DeletedGroup,
  GroupAdminService,
  GroupSummaryWithNodes,
} from '../groups/group-admin.service';
import { AdminPatterns } from './admin-patterns';
import {
  GroupNameMessage,
  ListGroupsMessage,
  PublishGroupMessage,
  RevealGroupMessage,
} from './dto/group-messages';
import {
  RolloutActionMessage,
  RolloutGroupMessage,
  StartRolloutMessage,
} from './dto/rollout-messages';
import { RolloutService } from '../rollouts/rollout.service';
import { rolloutView } from '../rollouts/rollout-view';
import type { RolloutView } from '../rollouts/dto/rollout.view';
import type { TokenHolder } from '../auth/admin-token-registry';
import { MessageHolder } from '../auth/message-holder';
import { RequiresRole } from '../auth/requires-role.decorator';
import { SecretPolicy } from '../secrets/secret-policy';
import { Audited } from '../audit/audited.decorator';

/**
 * The admin operations as message patterns over the Redis transport, for other Nest services
 * holding a `ClientProxy`. Same service, same validation, same error bodies, same tokens and
 * roles (the message's `token`), same masking of secrets (`reveal: true` for an admin), same body
 * limit and write rate limit as the REST API. A write's author is the token's label, as over REST
 * (a message's `author` is ignored: a caller cannot record another's name).
 */
@ApiExcludeController() // message patterns, not HTTP routes
@Controller()
export class AdminRpcController {
  constructor(
    private readonly groups: GroupAdminService,
    private readonly environments: AdminEnvironments,
    private readonly rollouts: RolloutService,
    private readonly secrets: SecretPolicy,
  ) {}

  @RequiresRole('reader')
  @MessagePattern(AdminPatterns.listGroups)
  list(@Payload() message: ListGroupsMessage): Promise<GroupSummaryWithNodes[]> {
    return this.groups.list(message.search);
  }

  @RequiresRole('reader')
  @MessagePattern(AdminPatterns.getGroup)
  @Audited('revealed')
  async get(
    @Payload() message: RevealGroupMessage,
    @MessageHolder() holder: TokenHolder,
  ): Promise<ConfigGroupRecord> {
    const reveal = this.secrets.reveals(message.reveal, holder, `group ${message.name}`);
    return this.secrets.masked(await this.groups.get(message.name), reveal);
  }

  @RequiresRole('writer')
  @MessagePattern(AdminPatterns.publishGroup)
  @Audited('published')
  async publish(
    @Payload() message: PublishGroupMessage,
    @MessageHolder() holder: TokenHolder,
  ): Promise<ConfigGroupRecord> {
    // Masks sent back unchanged keep the stored secrets, as over REST.
    const stored = this.secrets.holdsMasks(message.config)
      ? await this.groups.find(message.name)
      : null;
    const written = await this.groups.publish(
      message.name,
      this.secrets.restored(message.config, stored),
      {
        author: holder.label,
        comment: message.comment,
        expectedVersion: message.expectedVersion,
      },
    );
    return this.secrets.masked(written);
  }

  @RequiresRole('writer')
  @MessagePattern(AdminPatterns.deleteGroup)
  @Audited('deleted')
  delete(@Payload() message: GroupNameMessage): Promise<DeletedGroup> {
    return this.groups.delete(message.name);
  }

  @RequiresRole('reader')
  @MessagePattern(AdminPatterns.listNodes)
  listNodes(): Promise<NodeInfo[]> {
    return this.environments.current().nodes.list();
  }

  @RequiresRole('writer')
  @MessagePattern(AdminPatterns.startRollout)
  @Audited('rollout-started')
  async startRollout(
    @Payload() message: StartRolloutMessage,
    @MessageHolder() holder: TokenHolder,
  ): Promise<RolloutView> {
    const stored = this.secrets.holdsMasks(message.config)
      ? await this.rollouts.stableOf(message.name)
      : null;
    const reading = await this.rollouts.start(message.name, {
      config: this.secrets.restored(message.config, stored && { config: stored }),
      expectedVersion: message.expectedVersion,
      steps: message.steps?.map(({ percent, bakeMs }) => ({ percent, bakeMs })),
      comment: message.comment,
      author: holder.label,
    });
    return this.secrets.masked(rolloutView(reading));
  }

  @RequiresRole('reader')
  @MessagePattern(AdminPatterns.getRollout)
  @Audited('revealed')
  async getRollout(
    @Payload() message: RolloutGroupMessage,
    @MessageHolder() holder: TokenHolder,
  ): Promise<RolloutView> {
    const reveal = this.secrets.reveals(message.reveal, holder, `rollout of ${message.name}`);
    return this.secrets.masked(rolloutView(await this.rollouts.read(message.name)), reveal);
  }

  @RequiresRole('writer')
  @MessagePattern(AdminPatterns.promoteRollout)
  @Audited('rollout-promoted')
  async promoteRollout(
    @Payload() message: RolloutActionMessage,
    @MessageHolder() holder: TokenHolder,
  ): Promise<RolloutView> {
    return this.secrets.masked(
      rolloutView(await this.rollouts.promote(message.name, holder.label)),
    );
  }

  @RequiresRole('writer')
  @MessagePattern(AdminPatterns.abortRollout)
  @Audited('rollout-aborted')
  async abortRollout(
    @Payload() message: RolloutActionMessage,
    @MessageHolder() holder: TokenHolder,
  ): Promise<RolloutView> {
    return this.secrets.masked(rolloutView(await this.rollouts.abort(message.name, holder.label)));
  }
}
