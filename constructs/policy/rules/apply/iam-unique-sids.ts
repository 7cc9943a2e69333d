import type { AppRule, AppViolation } from '../../rule';
import { stackResources } from '../../private/app';
import { blocks, isObject } from '../../private/terraform-json';

/** The `Sid`s of an IAM policy document written as a JSON string, or none when the string is not one. */
function sidsOfJson(text: string): unknown[] {
  if (!text.trimStart().startsWith('{')) return [];
  try {
    const document: unknown = JSON.parse(text);
    if (!isObject(document)) return [];
    const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
    return statements.filter(isObject).map((statement) => statement.Sid);
  } catch {
    return [];
  }
}

/** The Sids that occur more than once, each once, in order. */
function duplicates(sids: readonly unknown[]): string[] {
  const named = sids.filter((sid): sid is string => typeof sid === 'string' && sid !== '');
  return [...new Set(named.filter((sid, index) => named.indexOf(sid) !== index))];
}

/**
 * IDP-APPLY-002: no IAM policy document repeats a statement `Sid`. IAM refuses such a document
 * (MalformedPolicyDocument: "Statement IDs (SID) in a single policy must be unique"), so the
 * resource fails at apply though Terraform plans it. Checks every attribute that holds a policy
 * as JSON (role, user and managed policies, trust policies, key, bucket, topic, queue and
 * repository policies) and the statement blocks of `aws_iam_policy_document` data sources.
 */
export const iamUniqueSidsRule: AppRule = {
  id: 'IDP-APPLY-002',
  severity: 'error',
  summary: 'IAM policy documents have unique statement ids (Sid)',
  fix: 'Give every statement of the document its own Sid (e.g. suffix the resource it grants), or merge the statements that share one.',
  appliesTo: 'app',
  checkApp(stacks) {
    const violations: AppViolation[] = [];
    for (const [stack, document] of Object.entries(stacks)) {
      for (const resource of stackResources(document)) {
        if (resource.type === 'aws_iam_policy_document' && resource.address.startsWith('data.')) {
          const repeated = duplicates(blocks(resource.body.statement).map((statement) => statement.sid));
          if (repeated.length > 0) violations.push({ stack, resource: resource.address, attribute: 'statement', problem: `repeats Sid ${repeated.map((sid) => `"${sid}"`).join(', ')}` });
          continue;
        }
        if (!resource.type.startsWith('aws_')) continue;
        for (const [attribute, value] of Object.entries(resource.body)) {
          if (typeof value !== 'string') continue;
          const repeated = duplicates(sidsOfJson(value));
          if (repeated.length > 0) violations.push({ stack, resource: resource.address, attribute, problem: `repeats Sid ${repeated.map((sid) => `"${sid}"`).join(', ')}` });
        }
      }
    }
    return violations;
  },
};
