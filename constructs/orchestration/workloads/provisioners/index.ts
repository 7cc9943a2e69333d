import type { ResourceProvisioner } from '../types';
import { dnsProvisioner } from './dns';
import { environmentProvisioner } from './environment';
import { postgresProvisioner } from './postgres';
import { redisProvisioner } from './redis';
import { routeProvisioner } from './route';
import { bucketTypeProvisioner, s3Provisioner } from './s3';
import { serviceProvisioner } from './service';
import { volumeProvisioner } from './volume';

/** Every resource type workloads may declare, one provisioner each in this folder (adding a type is adding one file and one entry; docs/workloads.md). */
export const PROVISIONERS: readonly ResourceProvisioner[] = [
  postgresProvisioner,
  redisProvisioner,
  s3Provisioner,
  bucketTypeProvisioner,
  dnsProvisioner,
  routeProvisioner,
  volumeProvisioner,
  environmentProvisioner,
  serviceProvisioner,
];
