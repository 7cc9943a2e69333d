import type { ResourceProvisioner } from '../types';
import { environmentProvisioner } from './environment';
import { serviceProvisioner } from './service';
import { volumeProvisioner } from './volume';

/** The resource types idpkit provisions, one file each in this folder (docs/workloads.md). */
export const PROVISIONERS: readonly ResourceProvisioner[] = [environmentProvisioner, serviceProvisioner, volumeProvisioner];
