export * from './contract/version';
export * from './contract/errors';
export * from './contract/rooms';
export * from './contract/auth';
export * from './contract/socket';
export * from './domain/sla';
