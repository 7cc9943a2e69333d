export * from './app';
export * from './infra-stack';
export * from './state-bootstrap-stack';
