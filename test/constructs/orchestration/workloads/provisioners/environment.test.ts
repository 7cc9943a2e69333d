import { environmentProvisioner } from '../../../../../constructs/orchestration/workloads/provisioners/environment';
import { testPlatform } from '../platforms';
import { provisionRequest } from './request';

describe('environment provisioner', () => {
  it('outputs the name, tier, cloud and region of the environment and the variables given at render', () => {
    const result = environmentProvisioner.provision(provisionRequest('env', { type: 'environment' }, { variables: { LOG_LEVEL: 'debug' } }, testPlatform('gcp', 'staging')));
    expect(result).toEqual({
      objects: [],
      outputs: { LOG_LEVEL: { value: 'debug' }, name: { value: 'staging-gcp' }, tier: { value: 'staging' }, cloud: { value: 'gcp' }, region: { value: 'europe-west1' } },
    });
  });

  it('is available everywhere, takes no params and refuses a variable named like a built-in output', () => {
    expect(environmentProvisioner.unavailable(testPlatform('aws', 'prod'), undefined, true)).toBeUndefined();
    expect(() => environmentProvisioner.provision(provisionRequest('env', { type: 'environment', params: { region: 'x' } }))).toThrow(
      'web/score.yaml: resources.env.params.region is not a parameter of type "environment" (parameters: none)',
    );
    expect(() => environmentProvisioner.provision(provisionRequest('env', { type: 'environment' }, { variables: { region: 'x' } }))).toThrow(
      'web/score.yaml: resources.env: the variable "region" given at render has the name of an output every environment provides (name, tier, cloud, region): rename the variable',
    );
  });
});
