import { DynamicModule, Module } from '@nestjs/common';
import { ManuscriptsModule } from '@quire/domain/manuscripts';
import { InfraModule, RuntimeOptions } from '@quire/runtime/infra';
import { CollabService } from './collab.service';

@Module({})
export class CollabModule {
  /** `infra: false` when the api's InfraModule is already in the same process (the launcher). */
  static forRoot(options: RuntimeOptions, { infra = true }: { infra?: boolean } = {}): DynamicModule {
    return {
      module: CollabModule,
      imports: [...(infra ? [InfraModule.forRoot(options)] : []), ManuscriptsModule],
      providers: [CollabService],
      exports: [CollabService],
    };
  }
}
