import type { Rule, TerraformJson } from '../../rule';
import { blocks, isReference, resourcesOf } from '../../private/terraform-json';

/** The first RDS for PostgreSQL major version whose default `rds.force_ssl` is 1. */
export const FORCE_SSL_DEFAULT_ON_FROM_MAJOR = 15;

/** A parameter group given as `${aws_db_parameter_group.<name>.name}` (or `.id`): its resource name. */
const PARAMETER_GROUP_REFERENCE = /^\$\{aws_db_parameter_group\.([^.}]+)\.(?:name|id)\}$/;

/** The major version in `17`, `16.4` or a family `postgres15`, if literal. */
function majorVersion(value: unknown): number | undefined {
  if (typeof value !== 'string' || isReference(value)) return undefined;
  const match = /^(?:postgres)?(\d+)/.exec(value);
  return match ? Number(match[1]) : undefined;
}

/** What `rds.force_ssl` a parameter group sets: true, false, or undefined when it leaves the default. */
function forceSslIn(group: TerraformJson): boolean | undefined {
  const parameter = blocks(group.parameter).find((entry) => entry.name === 'rds.force_ssl');
  if (!parameter) return undefined;
  return isReference(parameter.value) || ['1', 'on', 'true'].includes(String(parameter.value).toLowerCase());
}

/**
 * IDP-AWS-025: an RDS for PostgreSQL instance refuses connections without TLS (`rds.force_ssl = 1`
 * in its parameter group). From PostgreSQL 15 RDS turns it on by default, so an instance on the
 * default group (or a group that leaves it unset) passes from 15 on and fails below. A parameter
 * group or version given by reference, or a group managed outside the stack, cannot be judged and
 * is accepted. Other engines are not checked.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html
 */
export const rdsPostgresTlsRule: Rule = {
  id: 'IDP-AWS-025',
  severity: 'error',
  summary: 'RDS for PostgreSQL requires TLS (rds.force_ssl = 1)',
  fix: `Attach an aws_db_parameter_group with parameter { name = "rds.force_ssl", value = "1" } (parameter_group_name), or run PostgreSQL ${FORCE_SSL_DEFAULT_ON_FROM_MAJOR} or later without turning it off.`,
  appliesTo: ['aws_db_instance'],
  check(db, context) {
    if (db.engine !== 'postgres') return 'not-applicable';
    const groupName = db.parameter_group_name;
    let group: TerraformJson | undefined;
    if (typeof groupName === 'string') {
      const reference = PARAMETER_GROUP_REFERENCE.exec(groupName);
      const groups = resourcesOf(context.document, 'aws_db_parameter_group');
      group = reference ? groups[reference[1]] : Object.values(groups).find((candidate) => candidate.name === groupName);
      const isDefaultGroup = !isReference(groupName) && groupName.startsWith('default.');
      if (!group && !isDefaultGroup) return 'compliant'; // managed elsewhere or by reference: cannot be judged
    }
    const forced = group ? forceSslIn(group) : undefined;
    if (forced !== undefined) return forced ? 'compliant' : 'non-compliant';
    const major = majorVersion(group?.family) ?? majorVersion(db.engine_version);
    if (major === undefined) return 'compliant'; // the latest version (the provider's default) or a reference
    return major >= FORCE_SSL_DEFAULT_ON_FROM_MAJOR ? 'compliant' : 'non-compliant';
  },
};
