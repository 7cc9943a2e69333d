/**
 * The apply pack: what makes a first `terraform apply` fail or come up broken though every plan
 * succeeds, read across the whole app (every stack at once): Secrets nothing creates, IAM
 * documents IAM refuses, names two stacks of one account both create, literal names outside
 * Terraform's ordering, pods no node can hold, releases that wait for a manual step.
 */
import type { AppRule } from '../../rule';
import { iamUniqueSidsRule } from './iam-unique-sids';
import { literalReferencesRule } from './literal-references';
import { podRequestsFitRule } from './pod-requests-fit';
import { releaseReadinessRule } from './release-readiness';
import { secretReferencesRule } from './secret-references';
import { uniqueNamesRule } from './unique-names';

export { iamUniqueSidsRule, literalReferencesRule, podRequestsFitRule, releaseReadinessRule, secretReferencesRule, uniqueNamesRule };

/** The rules of the apply pack, in id order. */
export const APPLY_RULES: readonly AppRule[] = [secretReferencesRule, iamUniqueSidsRule, uniqueNamesRule, literalReferencesRule, podRequestsFitRule, releaseReadinessRule];
