import type { Observable } from 'rxjs';

/**
 * What `ConfigGroupService` asks of the node beyond its state: `NodeRuntime` against Redis,
 * `TestConfigGroup` in the testing module. An abstract class, so that it is its own injection token.
 */
export abstract class NodeControl {
  /** True while this node runs a rollout's candidate as one of its canaries. */
  abstract readonly canary: boolean;
  /** Whether the node reaches Redis: the current state on subscribe, then each change. */
  abstract readonly connected$: Observable<boolean>;
  /** Looks at the sources now and applies whatever changed. */
  abstract refresh(): Promise<void>;
  /** The app says the config it runs does not work (see `ConfigGroupService.reportProblem`). */
  abstract reportProblem(message: string): Promise<void>;
}
