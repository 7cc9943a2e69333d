import { CLOUDS } from '../../../../constructs/core/clouds';
import { KNOWN_MACHINE_TYPES, MACHINE_TYPES_AS_OF } from '../../../../constructs/infrastructure/cluster/machine-types.generated';
import { MACHINE_CAPACITY, NODE_MACHINE_TYPES, NODE_SIZES, machineTypeProblem, machineVcpus, nodeAllocatable } from '../../../../constructs/infrastructure/cluster/node-sizes';
import { environmentSets } from '../../../../environments';
import { validateEnvironments } from '../../../../environments/types';

describe('nodeAllocatable', () => {
  test("subtracts each cloud's documented reservation and the 100 MiB eviction threshold from an 8 GiB, 2 vCPU node", () => {
    // EKS: 11 MiB x 29 pods + 255 MiB; CPU 6% of core 1 + 1% of core 2.
    expect(nodeAllocatable('aws', 'm6i.large')).toEqual({ cpuMillicores: 1930, memoryMiB: 8192 - 574 - 100 });
    // t3.large takes 35 pods (3 ENIs x 11 addresses), so the kubelet keeps more memory.
    expect(nodeAllocatable('aws', 't3.large')).toEqual({ cpuMillicores: 1930, memoryMiB: 8192 - 640 - 100 });
    // AKS: the lesser of 20 MiB x 250 pods + 50 MiB and 25% of memory; CPU 100m for 2 cores.
    expect(nodeAllocatable('azure', 'Standard_D2s_v5')).toEqual({ cpuMillicores: 1900, memoryMiB: 8192 - 2048 - 100 });
    // GKE: 25% of the first 4 GiB and 20% of the next 4 GiB.
    expect(nodeAllocatable('gcp', 'e2-standard-2')).toEqual({ cpuMillicores: 1930, memoryMiB: Math.floor(8192 - 1024 - 819.2 - 100) });
  });

  test('keeps a smaller share of larger nodes', () => {
    expect(nodeAllocatable('aws', 'm6i.4xlarge')).toEqual({ cpuMillicores: 16000 - 60 - 10 - 10 - 30, memoryMiB: 65536 - (11 * 234 + 255) - 100 });
    expect(nodeAllocatable('azure', 'Standard_D8s_v5')).toEqual({ cpuMillicores: 8000 - 180, memoryMiB: 32768 - 5050 - 100 });
    expect(nodeAllocatable('gcp', 'e2-standard-16')!.memoryMiB).toBe(Math.floor(65536 - (1024 + 819.2 + 819.2 + 0.06 * 48 * 1024) - 100));
  });

  test('is undefined for a machine type the table does not list', () => {
    expect(nodeAllocatable('aws', 'x2iedn.metal')).toBeUndefined();
    expect(nodeAllocatable('gcp', 'm6i.large')).toBeUndefined();
  });

  test("lists every machine type of the presets' node sizes and of every shipped environment", () => {
    for (const size of NODE_SIZES) {
      for (const cloud of CLOUDS) {
        const type = NODE_MACHINE_TYPES[size][cloud];
        expect([cloud, type, MACHINE_CAPACITY[cloud][type]]).toEqual([cloud, type, { vcpus: NODE_MACHINE_TYPES[size].vcpus, memoryMiB: NODE_MACHINE_TYPES[size].memoryGiB * 1024, ...(cloud === 'aws' ? { maxPods: expect.any(Number) } : {}) }]);
      }
    }
    for (const env of [...validateEnvironments(environmentSets.all), ...validateEnvironments(environmentSets.presets)]) {
      for (const group of env.cluster.nodeGroups) {
        for (const type of group.instanceTypes ?? [NODE_MACHINE_TYPES[group.size!][env.cloud]]) expect([env.name, type, nodeAllocatable(env.cloud, type)]).toEqual([env.name, type, expect.any(Object)]);
      }
    }
  });

  test('agrees with the vCPUs machine type names tell, and every AWS row has its pod limit', () => {
    for (const cloud of CLOUDS) {
      for (const [type, machine] of Object.entries(MACHINE_CAPACITY[cloud])) {
        expect([type, machineVcpus(cloud, type)]).toEqual([type, machine.vcpus]);
        if (cloud === 'aws') expect([type, machine.maxPods]).toEqual([type, expect.any(Number)]);
      }
    }
  });
});

describe('machine types the clouds offer (the generated table)', () => {
  test('lists every cloud\'s types with their vCPUs, including those whose names do not tell them', () => {
    expect(MACHINE_TYPES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Object.keys(KNOWN_MACHINE_TYPES.aws).length).toBeGreaterThan(1000);
    expect(machineVcpus('aws', 'm7i.metal-48xl')).toBe(192);
    expect(machineVcpus('aws', 'u-6tb1.112xlarge')).toBe(448);
    expect(machineVcpus('gcp', 'a2-highgpu-1g')).toBe(12);
    expect(machineVcpus('gcp', 'e2-micro')).toBe(0.25);
    expect(machineVcpus('gcp', 'n2-custom-6-24576')).toBe(6);
    expect(machineVcpus('azure', 'Standard_D4s_v5')).toBe(4);
  });

  test('agrees with MACHINE_CAPACITY, which idpkit keeps for node allocatable sizes', () => {
    for (const cloud of CLOUDS) {
      for (const [type, machine] of Object.entries(MACHINE_CAPACITY[cloud])) expect([type, KNOWN_MACHINE_TYPES[cloud][type]]).toEqual([type, machine.vcpus]);
    }
  });

  test('an unknown type is a problem naming the closest known ones; names of Object.prototype are unknown too', () => {
    expect(machineTypeProblem('aws', 'm6i.large')).toBeUndefined();
    expect(machineTypeProblem('aws', 'm7i.lage')).toBe(`is not a machine type AWS offers (list of ${MACHINE_TYPES_AS_OF}; closest: m7i.large, c7i.large, i7i.large; machine type names are case-sensitive)`);
    expect(machineTypeProblem('azure', 'm6i.large')).toContain('is not a machine type Azure offers');
    for (const name of ['constructor', '__proto__', 'toString']) expect(machineTypeProblem('gcp', name)).toContain('is not a machine type GCP offers');
  });

  test.each([
    ['n2-custom-6-24576', undefined],
    ['custom-1-7680-ext', undefined],
    ['n2-custom-4-40960-ext', undefined],
    ['custom-2-2048', undefined],
    ['n4-custom-20-81920', undefined],
    ['custom-4-0720-ext', 'writes a number with a leading zero'],
    ['c3-custom-4-8192', 'is a custom machine type of c3, which offers none (custom machine types: `custom-` (N1), `n2-custom-`, `n2d-custom-`, `e2-custom-`, `n4-custom-`)'],
    ['custom-3-4096', 'asks for 3 vCPUs; n1 custom machine types take 1, 2-96 step 2'],
    ['n2d-custom-6-8192', 'asks for 6 vCPUs; n2d custom machine types take 2, 4, 8, 16-96 step 16'],
    ['n2-custom-4-40000', 'asks for 40000 MiB of memory, which is not a multiple of 256 MiB'],
    ['custom-2-1792', 'asks for 1792 MiB of memory; n1 with 2 vCPUs takes at least 2048 MiB'],
    ['n2-custom-4-40960', 'asks for 40960 MiB of memory; n2 with 4 vCPUs takes at most 32768 MiB (8192 MiB per vCPU, or name it `n2-custom-4-40960-ext` for extended memory)'],
    ['e2-custom-4-8192-ext', 'asks for extended memory (-ext), which e2 custom machine types do not offer'],
  ])('GCP custom machine type %s: the family, its vCPU counts, 256 MiB steps and memory per vCPU decide (%s)', (type, problem) => {
    if (problem === undefined) expect(machineTypeProblem('gcp', type)).toBeUndefined();
    else expect(machineTypeProblem('gcp', type)).toContain(problem);
  });
});
