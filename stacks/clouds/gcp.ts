import { CloudKit } from './kit';

const notYet = (): never => {
  throw new Error('the gcp kit is being built');
};

/** Gcp: being built. */
export const gcpKit: CloudKit<'gcp'> = {
  configureProvider: notYet,
  configureRemoteState: notYet,
  buildInfra: notYet,
  buildStateStorage: notYet,
};
