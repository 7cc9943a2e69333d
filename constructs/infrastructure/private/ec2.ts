/**
 * The CPU architecture of an EC2 instance type. Graviton families carry a "g" after the generation
 * digit (m7g, c7gn, r8g, t4g); GPU and accelerator families (g5, p4d, inf2, trn1, dl1) are x86_64.
 */
export function instanceArchitecture(instanceType: string): 'arm64' | 'x86_64' {
  const family = instanceType.split('.')[0];
  return /^[a-z]+\d+[a-z]*g[a-z]*$/.test(family) && !/^(g|p|inf|trn|dl)\d/.test(family) ? 'arm64' : 'x86_64';
}
