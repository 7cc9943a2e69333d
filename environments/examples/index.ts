import { azureDev, azureProd } from './azure';
import { gcpDev, gcpProd } from './gcp';

export { azureDev, azureProd, gcpDev, gcpProd };

/** Example environments on Azure and GCP (the defaults are the AWS examples). */
export const exampleEnvironments = [azureDev, azureProd, gcpDev, gcpProd];
