export * from './entities';
export * from './platform';
