export * from './config';
export * from './clouds';
export * from './remote-state';
export * from './team-stack';
