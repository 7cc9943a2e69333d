import { azureDev, azureProd } from './azure';
import { gcpDev, gcpProd } from './gcp';
import { presetEnvironments } from './presets';

export { azureDev, azureProd, gcpDev, gcpProd, presetEnvironments };

/** Example environments on Azure and GCP (the defaults are the AWS examples). */
export const exampleEnvironments = [azureDev, azureProd, gcpDev, gcpProd];
