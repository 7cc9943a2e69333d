/** Reading synthesized Terraform JSON, shared by the policy rules. */
import type { TerraformJson } from '../rule';

/** Whether a value is a JSON object (not an array, not null). */
export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The first block of a nested block: cdktf writes single blocks as an object or a one-element
 * list depending on the provider schema; rules read both the same way.
 */
export function block(value: unknown): TerraformJson | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return isObject(first) ? first : undefined;
}

/** Every block of a nested block, object or list. */
export function blocks(value: unknown): TerraformJson[] {
  return (Array.isArray(value) ? value : [value]).filter(isObject);
}

/** The resources of one type in a stack document, by name. */
export function resourcesOf(document: TerraformJson, type: string): Readonly<Record<string, TerraformJson>> {
  const resources = isObject(document.resource) ? document.resource : {};
  const ofType = resources[type];
  return isObject(ofType) ? (ofType as Record<string, TerraformJson>) : {};
}

/** Whether a value is a Terraform reference or expression (`${...}`), which a rule cannot judge. */
export const isReference = (value: unknown): boolean => typeof value === 'string' && value.includes('${');

/** Whether any resource of `type` refers to `type.name` of the resource checked (e.g. an encryption config of a bucket). */
export function referencingResources(document: TerraformJson, type: string, target: string): TerraformJson[] {
  const needle = `\${${target}.`;
  return Object.values(resourcesOf(document, type)).filter((body) => JSON.stringify(body).includes(needle));
}


/** One statement of an IAM policy document, as written. */
export interface PolicyStatement {
  readonly Effect?: string;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Principal?: unknown;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** A string or a list of strings as a list. */
export const asList = (value: string | readonly string[] | undefined): readonly string[] => (value === undefined ? [] : typeof value === 'string' ? [value] : value);

/**
 * The statements of an IAM policy document given as a JSON string, or undefined when it is not
 * one (a reference such as `${data.aws_iam_policy_document.x.json}` cannot be judged).
 */
export function policyStatements(value: unknown): readonly PolicyStatement[] | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const document: unknown = JSON.parse(value);
    if (!isObject(document)) return undefined;
    const statements = document.Statement;
    return (Array.isArray(statements) ? statements : [statements]).filter(isObject) as PolicyStatement[];
  } catch {
    return undefined;
  }
}
