/** What other features may use of the imports feature (its module, imports.module.ts, is composed by server.ts). */
export type { ImportService } from './imports.service';
export { titleFrom } from './parse';
