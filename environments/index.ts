import { dev } from './dev';
import { prod } from './prod';
import { staging } from './staging';

export * from './types';
export * from './load';
export { dev, prod, staging };

/** The environments `cdktf synth` builds when no selection is made. */
export const defaultEnvironments = [dev, staging, prod];
