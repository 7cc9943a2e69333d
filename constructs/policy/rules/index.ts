/** Every rule pack: AWS, Azure, GCP, Kubernetes and Terraform. */
import type { Rule } from '../engine';
import { AWS_RULES } from './aws';
import { AZURE_RULES } from './azure';
import { GCP_RULES } from './gcp';
import { KUBERNETES_RULES } from './kubernetes';
import { TERRAFORM_RULES } from './terraform';

export { AWS_RULES, AZURE_RULES, GCP_RULES, KUBERNETES_RULES, TERRAFORM_RULES };

/** Every rule idpkit ships, pack by pack. Rules of other clouds are not applicable to a stack, so one list serves all. */
export const ALL_RULES: readonly Rule[] = [...TERRAFORM_RULES, ...AWS_RULES, ...AZURE_RULES, ...GCP_RULES, ...KUBERNETES_RULES];
