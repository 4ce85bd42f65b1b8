import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigGroupService } from '../node/config-group.service';
import { RedisConfigProvider } from './redis-config.provider';

const PROVIDER = Symbol('RedisConfigProvider');

/** Binds the provider when the app starts: after every module's init, so the node has its group. */
@Injectable()
class ProviderBinding implements OnApplicationBootstrap {
  constructor(
    @Inject(PROVIDER) private readonly provider: RedisConfigProvider,
    private readonly service: ConfigGroupService,
  ) {}

  onApplicationBootstrap(): void {
    this.provider.bind(this.service);
  }
}

/**
 * Gives a {@link RedisConfigProvider} made before the app (as `@openfeature/nestjs-sdk` wants it)
 * the node's `ConfigGroupService` when the app starts. Import it beside `RedisConfigModule` (or
 * `RedisConfigTestingModule`) and `OpenFeatureModule`.
 *
 * @example
 * ```ts
 * const flags = new RedisConfigProvider();
 *
 * @Module({
 *   imports: [
 *     RedisConfigModule.forRoot(),
 *     RedisConfigOpenFeatureModule.forRoot(flags),
 *     OpenFeatureModule.forRoot({ defaultProvider: flags }),
 *   ],
 * })
 * export class AppModule {}
 * ```
 */
@Module({})
export class RedisConfigOpenFeatureModule {
  /**
   * The module that binds `provider` to the app's `ConfigGroupService` once the app has started.
   *
   * @param provider - The provider also given to `OpenFeatureModule.forRoot({ defaultProvider })`.
   * @returns the module that binds it to the app's node
   */
  static forRoot(provider: RedisConfigProvider): DynamicModule {
    return {
      module: RedisConfigOpenFeatureModule,
      providers: [{ provide: PROVIDER, useValue: provider }, ProviderBinding],
    };
  }
}
