import type { TestProject } from 'vitest/node';
import type {} from 'vitest';
import { startPostgresCluster } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

/**
 * Starts a throwaway PostgreSQL cluster from the machine's binaries in a temp
 * folder on a free port, unless TEST_DATABASE_URL names one already running.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    project.provide('pgAdminUrl', given);
    return async () => {};
  }
  const cluster = await startPostgresCluster();
  project.provide('pgAdminUrl', cluster.url);
  return () => cluster.stop();
}
