/** What other features may use of the updates feature (its module, updates.module.ts, is composed by server.ts). */
export {};
