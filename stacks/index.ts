export * from './app';
export * from './infra-stack';
export * from './state-bootstrap-stack';
export * from './platform-stack';
export * from './platform/addon';
export * from './platform/catalog';
export * from './team';
export { goldenPathEnvironmentOf, goldenPathFilesOf, goldenPathsOf } from './golden-paths';
export * from './catalog';
