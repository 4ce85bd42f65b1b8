import {
  ConflictException,
  ForbiddenException,
  HttpException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import {
  ConfigGroupExistsError,
  ConfigGroupNotFoundError,
  ConfigVersionConflictError,
  type ExportEntry,
} from '@rcc/redis-config/publisher';
import type { TokenHolder } from '../auth/admin-token-registry';
import { AdminEnvironments, type EnvironmentContext } from '../environments/admin-environments';
import { GroupAdminService } from '../groups/group-admin.service';
import { RolloutService } from '../rollouts/rollout.service';
import { ConfigWrites } from '../webhooks/config-writes';
import { ChangeEvents } from './change-events';
import type { ChangePayload, ChangeRequest, ChangeStatus } from './change-request';
import { ChangeStore } from './change-store';

export interface ChangeFilter {
  /** null: every environment. */
  env: EnvironmentContext | null;
  status?: ChangeStatus;
  group?: string;
}

/** The group moved since the request was made: it is not applied. */
class StaleChange extends Error {}

/**
 * Deciding change requests (DESIGN §19): another token label approves (the request is applied
 * against the version it was made on; `stale` and 409 when the group moved), rejects, or the
 * author withdraws. Each decision is one checked transition from `pending`: of two admins (or
 * replicas) deciding at once, exactly one does.
 */
@Injectable()
export class ChangeApprovals {
  constructor(
    private readonly environments: AdminEnvironments,
    private readonly store: ChangeStore,
    private readonly events: ChangeEvents,
    private readonly groups: GroupAdminService,
    private readonly rollouts: RolloutService,
    private readonly writes: ConfigWrites,
  ) {}

  async list(filter: ChangeFilter): Promise<ChangeRequest[]> {
    const envs = filter.env ? [filter.env] : this.environments.all();
    const lists = await Promise.all(envs.map((env) => this.store.list(env)));
    return lists
      .flat()
      .filter((change) => !filter.status || change.status === filter.status)
      .filter((change) => !filter.group || change.group === filter.group)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async get(id: string): Promise<ChangeRequest> {
    return (await this.find(id)).request;
  }

  async approve(id: string, holder: TokenHolder): Promise<ChangeRequest> {
    const { env, request, payload } = await this.find(id);
    this.assertPending(request);
    if (request.author === holder.label) {
      throw new ForbiddenException(
        `The author of change ${id} ("${holder.label}") cannot approve it: another token must`,
      );
    }
    if (!(await this.store.transition(env, id, 'pending', 'applying'))) throw this.decided(id);
    const decided = { decidedBy: holder.label, decidedAt: new Date().toISOString() };
    await this.events.announce('change.approved', { ...request, status: 'applying' }, holder.label);
    let version: number | null;
    try {
      version = await this.environments.runApproved(env, () => this.apply(request, payload));
    } catch (error) {
      const stale = isStale(error);
      const status: ChangeStatus = stale ? 'stale' : 'failed';
      const outcome = (error as Error).message;
      await this.store.transition(env, id, 'applying', status);
      await this.store.settle(env, id, { ...decided, outcome, appliedVersion: null });
      if (!stale) throw error;
      const change = { ...request, ...decided, status, outcome };
      throw new ConflictException({
        message: `Change ${id} is stale: ${outcome}. Make a new request against the current version`,
        change,
      });
    }
    await this.store.transition(env, id, 'applying', 'applied');
    const outcome = version === null ? 'applied' : `applied as version ${version}`;
    await this.store.settle(env, id, { ...decided, outcome, appliedVersion: version });
    const applied: ChangeRequest = {
      ...request,
      ...decided,
      status: 'applied',
      outcome,
      appliedVersion: version,
    };
    await this.events.announce('change.applied', applied, holder.label);
    return applied;
  }

  async reject(id: string, holder: TokenHolder): Promise<ChangeRequest> {
    return this.close(id, holder, 'rejected');
  }

  async withdraw(id: string, holder: TokenHolder): Promise<ChangeRequest> {
    return this.close(id, holder, 'withdrawn');
  }

  private async close(
    id: string,
    holder: TokenHolder,
    status: 'rejected' | 'withdrawn',
  ): Promise<ChangeRequest> {
    const { env, request } = await this.find(id);
    this.assertPending(request);
    if (status === 'withdrawn' && request.author !== holder.label) {
      throw new ForbiddenException(
        `Only the author ("${request.author}") may withdraw change ${id}`,
      );
    }
    if (!(await this.store.transition(env, id, 'pending', status))) throw this.decided(id);
    const decided = { decidedBy: holder.label, decidedAt: new Date().toISOString() };
    await this.store.settle(env, id, { ...decided, outcome: status, appliedVersion: null });
    const closed: ChangeRequest = { ...request, ...decided, status, outcome: status };
    await this.events.announce(
      status === 'rejected' ? 'change.rejected' : 'change.withdrawn',
      closed,
      holder.label,
    );
    return closed;
  }

  /** Applies the request as its author asked, checked against the version it was made on. */
  private async apply(request: ChangeRequest, payload: ChangePayload): Promise<number | null> {
    const name = request.group ?? '';
    const meta = {
      author: request.author,
      comment: payload.comment ?? `change ${request.id}`,
      expectedVersion: request.baseVersion ?? undefined,
    };
    const config = payload.config ?? {};
    switch (request.action) {
      case 'publish':
      case 'promote':
        if (payload.steps) {
          return (await this.rollouts.start(name, { ...meta, config, steps: payload.steps })).state
            .version;
        }
        if (request.baseVersion === null) {
          return (await this.groups.create(name, config, meta)).version;
        }
        return (await this.groups.publish(name, config, meta)).version;
      case 'rollout':
        return (await this.rollouts.start(name, { ...meta, config, steps: payload.steps })).state
          .version;
      case 'rollback':
        return (await this.groups.rollback(name, payload.version ?? 0, meta)).version;
      case 'delete': {
        const current = await this.groups.find(name);
        if (current?.version !== request.baseVersion) {
          throw new StaleChange(
            `"${name}" is at version ${current?.version ?? '(deleted)'}, not ${request.baseVersion}`,
          );
        }
        await this.groups.delete(name, request.author);
        return null;
      }
      case 'import':
        return this.applyImport(request, payload);
    }
  }

  private async applyImport(request: ChangeRequest, payload: ChangePayload): Promise<null> {
    const env = this.environments.current();
    for (const [group, version] of Object.entries(payload.baseVersions ?? {})) {
      const current = await env.store.get(group);
      if ((current?.version ?? null) !== version) {
        throw new StaleChange(
          `"${group}" is at version ${current?.version ?? '(absent)'}, not ${version ?? '(absent)'}`,
        );
      }
    }
    const entries: ExportEntry[] = (payload.entries ?? []).map((entry) => ({
      group_name: entry.group,
      group_version: entry.version,
      config_dict: entry.config,
    }));
    const result = await env.store.import(entries, { dryRun: false, author: request.author });
    if (result.applied) await this.writes.recordImport(result, request.author);
    return null;
  }

  private async find(id: string): Promise<{
    env: EnvironmentContext;
    request: ChangeRequest;
    payload: ChangePayload;
  }> {
    if (!/^[a-z0-9]{1,16}-[0-9a-f]{8}$/.test(id)) {
      throw new NotFoundException(`No change request "${id.slice(0, 40)}"`);
    }
    for (const env of this.environments.all()) {
      const found = await this.store.find(env, id);
      if (found) return { env, ...found };
    }
    throw new NotFoundException(`No change request "${id}"`);
  }

  private assertPending(request: ChangeRequest): void {
    if (request.status !== 'pending') {
      throw new ConflictException(`Change ${request.id} is ${request.status}, not pending`);
    }
  }

  private decided(id: string): HttpException {
    return new ConflictException(`Change ${id} was decided meanwhile: read it again`);
  }
}

function isStale(error: unknown): boolean {
  return (
    error instanceof StaleChange ||
    error instanceof ConfigVersionConflictError ||
    error instanceof ConfigGroupExistsError ||
    error instanceof ConfigGroupNotFoundError
  );
}
