/** What other features may use of the major feature (its module, major.module.ts, is composed by server.ts). */
export {};
