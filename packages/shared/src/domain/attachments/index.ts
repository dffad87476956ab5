export * from './sniff';
export * from './retention';
