/** The knowledge base (issue 21, decision 51): articles, revisions, review, search and suggestions. */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import { createKbCommands } from './kb.commands';
import { kbApi } from './kb.openapi';
import { createKbRouter } from './kb.routes';

export function createKbModule(ctx: AppContext): FeatureModule {
  return {
    name: 'kb',
    http: [{ path: '/api', handler: createKbRouter(ctx) }],
    openapi: kbApi,
    registerCommands: (bus) => bus.register(createKbCommands(ctx)),
  };
}
