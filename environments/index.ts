import { dev } from './dev';
import { prod } from './prod';
import { staging } from './staging';
import { exampleEnvironments, presetEnvironments } from './examples';

export * from './types';
export * from './load';
export { dev, prod, staging };

/** The environments `cdktf synth` builds when no selection is made. */
export const defaultEnvironments = [dev, staging, prod];

export * from './examples';

/** Named sets of environments `cdktf synth` can build (IDPKIT_ENVIRONMENT_SET), validated together. */
export const environmentSets = {
  default: defaultEnvironments,
  examples: exampleEnvironments,
  all: [...defaultEnvironments, ...exampleEnvironments],
  presets: presetEnvironments,
};
