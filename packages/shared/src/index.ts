export * from './contract/version';
