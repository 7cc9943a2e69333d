import { nodeLabelProblem } from '../../../constructs/core/kubernetes-labels';

describe('nodeLabelProblem', () => {
  test.each([
    ['workload', 'batch'],
    ['acme.example/team', 'payments'],
    ['node.acme.example/pool', ''],
    ['a', 'A-1_b.c'],
  ])('%s: %s is a node label', (key, value) => {
    expect(nodeLabelProblem(key, value)).toBeUndefined();
  });

  test.each([
    ['kubernetes.io/role', 'x', 'which a kubelet may not set on its node'],
    ['node.k8s.io/x', 'y', 'which a kubelet may not set on its node'],
    ['Example.com/x', 'y', 'is not a DNS subdomain'],
    ['/x', 'y', 'is not a DNS subdomain'],
    ['a b', 'c', 'has a key that is not a label name'],
    ['k'.repeat(64), 'v', 'has a key that is not a label name'],
    ['team', 'a b', 'has a value that is not a label value'],
    ['team', 'v'.repeat(64), 'has a value that is not a label value'],
  ])('%s: %s is not: %s', (key, value, problem) => {
    expect(nodeLabelProblem(key, value)).toContain(problem);
  });
});
