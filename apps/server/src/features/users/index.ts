/** What other features may use of the users feature (its module, users.module.ts, is composed by server.ts). */
export {};
