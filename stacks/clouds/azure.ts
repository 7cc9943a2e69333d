import { CloudKit } from './kit';

const notYet = (): never => {
  throw new Error('the azure kit is being built');
};

/** Azure: being built. */
export const azureKit: CloudKit<'azure'> = {
  configureProvider: notYet,
  configureRemoteState: notYet,
  buildInfra: notYet,
  buildStateStorage: notYet,
};
