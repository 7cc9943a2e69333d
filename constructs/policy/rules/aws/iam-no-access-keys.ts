import type { Rule } from '../../rule';

/**
 * IDP-AWS-022: no IAM access keys. A long-lived access key is a static credential that leaks
 * through state files, CI logs and laptops; workloads use roles (EKS Pod Identity, IRSA), CI uses
 * GitHub OIDC, people use IAM Identity Center. Terraform also stores the secret key in state.
 */
export const iamNoAccessKeysRule: Rule = {
  id: 'IDP-AWS-022',
  severity: 'error',
  summary: 'No IAM access keys (static credentials): use roles with workload identity or OIDC',
  fix: 'Remove the aws_iam_access_key; give workloads an IAM role through EKS Pod Identity or IRSA, CI a role trusted through GitHub OIDC (ci.github), and people IAM Identity Center.',
  appliesTo: ['aws_iam_access_key'],
  check() {
    return 'non-compliant';
  },
};
