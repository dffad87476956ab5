/** The customers feature: organisation and contact records (REST, commands), and the one-off move of free-text customers to them. */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import { runFreeTextBackfill } from './backfill';
import { createCustomerCommands } from './customers.commands';
import { customersApi } from './customers.openapi';
import { createCustomersRouter } from './customers.routes';

export function createCustomersModule(ctx: AppContext): FeatureModule {
  return {
    name: 'customers',
    http: [{ path: '/api', handler: createCustomersRouter(ctx) }],
    openapi: customersApi,
    registerCommands: (bus) => bus.register(createCustomerCommands(ctx)),
    async prepare() {
      await runFreeTextBackfill(ctx);
    },
  };
}
