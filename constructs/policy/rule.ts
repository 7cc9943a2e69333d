/**
 * What a policy rule is: the shapes every rule, the rule packs and the engine share. Rules import
 * these from here, never the engine, so that the engine may list the packs it runs by default.
 */
import type { Tier } from '../core/tiers';
import type { Severity } from './findings';

/** What a rule says about one resource or stack. */
export type RuleResult = 'compliant' | 'non-compliant' | 'not-applicable';

/** A rule's severity: one for every tier, or per tier (`off` skips the rule in that tier). */
export type RuleSeverity = Severity | { readonly [T in Tier]: Severity | 'off' };

/** A synthesized Terraform JSON document (a stack's `cdk.tf.json`) or a block inside it. */
export type TerraformJson = Readonly<Record<string, unknown>>;

/** What a rule's check knows besides the subject it checks. */
export interface RuleContext {
  /** The tier the stack is checked for. */
  readonly tier: Tier;
  /** The stack's name, e.g. `prod-infra`. */
  readonly stack: string;
  /** The whole stack document, for rules that look at other resources. */
  readonly document: TerraformJson;
  /** The resource's type (the part before the name in its address); empty for stack rules. */
  readonly type: string;
  /** The resource's name (the part after the type in its address); empty for stack rules. */
  readonly name: string;
}

/** What every rule has, whatever it checks: a stable id, a severity, a one-line summary and how to fix what it finds. */
export interface RuleInfo {
  /** Stable id, e.g. `IDP-AWS-001`; never reused for another check. */
  readonly id: string;
  /** Whether a non-compliant subject fails synthesis, per tier. */
  readonly severity: RuleSeverity;
  /** What the rule requires, in one line. */
  readonly summary: string;
  /** How to fix a non-compliant subject. */
  readonly fix: string;
}

/** One policy rule over one resource, or one stack. */
export interface Rule extends RuleInfo {
  /** The Terraform resource types the rule checks, or `stack` for a rule over the whole document. */
  readonly appliesTo: readonly string[] | 'stack';
  /** Checks one resource body (or, for `stack` rules, the whole document). Pure. */
  check(subject: TerraformJson, context: RuleContext): RuleResult;
}

/** What an app rule found: one attribute of one resource (or a stack), and what exactly is wrong there. */
export interface AppViolation {
  /** The stack the violation is in. */
  readonly stack: string;
  /** The Terraform address (`type.name`, or `data.type.name`) of the resource; undefined for a stack. */
  readonly resource?: string;
  /** The attribute inside the resource, e.g. `policy` or `values[0]#grafana.admin.existingSecret`. */
  readonly attribute?: string;
  /** What is wrong, naming the values and resources involved. */
  readonly problem: string;
}

/**
 * A rule over the whole synthesized app, every stack at once: for what no single resource or
 * stack shows (names two stacks of one account both create, a Secret one stack reads and nothing
 * creates, a resource that names another by literal string). Pure.
 */
export interface AppRule extends RuleInfo {
  readonly appliesTo: 'app';
  /** Checks the stacks, by stack name. */
  checkApp(stacks: Readonly<Record<string, TerraformJson>>): readonly AppViolation[];
}
