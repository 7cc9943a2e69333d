/** Every rule pack: AWS, Azure, GCP, Kubernetes and Terraform over resources and stacks; apply and cost over the whole app. */
import type { AppRule, Rule, RuleInfo } from '../rule';
import { APPLY_RULES } from './apply';
import { AWS_RULES } from './aws';
import { AZURE_RULES } from './azure';
import { COST_RULES } from './cost';
import { GCP_RULES } from './gcp';
import { KUBERNETES_RULES } from './kubernetes';
import { TERRAFORM_RULES } from './terraform';

export { APPLY_RULES, AWS_RULES, AZURE_RULES, COST_RULES, GCP_RULES, KUBERNETES_RULES, TERRAFORM_RULES };

/** Every rule idpkit ships, pack by pack. Rules of other clouds are not applicable to a stack, so one list serves all. */
export const ALL_RULES: readonly Rule[] = [...TERRAFORM_RULES, ...AWS_RULES, ...AZURE_RULES, ...GCP_RULES, ...KUBERNETES_RULES];

/** Every rule over the whole app: the apply pack, then the cost pack. */
export const APP_RULES: readonly AppRule[] = [...APPLY_RULES, ...COST_RULES];

/** Every rule of every pack, the app packs' included: what reports and docs list. */
export const EVERY_RULE: readonly RuleInfo[] = [...ALL_RULES, ...APP_RULES];
