import type { Rule } from '../../rule';
import { block, blocks } from '../../private/terraform-json';

/** IDP-AWS-007: an EKS cluster envelope-encrypts Kubernetes secrets with a KMS key. */
export const eksSecretsEncryptionRule: Rule = {
  id: 'IDP-AWS-007',
  severity: 'error',
  summary: 'EKS cluster encrypts Kubernetes secrets with a customer-managed KMS key',
  fix: 'Add encryption_config { resources = ["secrets"], provider { key_arn = <KMS key ARN> } }.',
  appliesTo: ['aws_eks_cluster'],
  check(cluster) {
    const encrypted = blocks(cluster.encryption_config).some(
      (config) => Array.isArray(config.resources) && config.resources.includes('secrets') && Boolean(block(config.provider)?.key_arn),
    );
    return encrypted ? 'compliant' : 'non-compliant';
  },
};
