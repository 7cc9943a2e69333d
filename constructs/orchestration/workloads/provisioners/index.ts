import type { ResourceProvisioner } from '../types';
import { dnsProvisioner } from './dns';
import { postgresProvisioner } from './postgres';
import { redisProvisioner } from './redis';
import { routeProvisioner } from './route';
import { bucketTypeProvisioner, s3Provisioner } from './s3';

/** Every resource type workloads may declare, one provisioner each (adding a type is adding one file and one entry). */
export const PROVISIONERS: readonly ResourceProvisioner[] = [postgresProvisioner, redisProvisioner, s3Provisioner, bucketTypeProvisioner, dnsProvisioner, routeProvisioner];
