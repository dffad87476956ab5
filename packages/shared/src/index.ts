export * from './contract/version';
export * from './contract/errors';
