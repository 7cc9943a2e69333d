/**
 * Backstage's own validation of catalog entities (@backstage/catalog-model): the policies the
 * catalog applies to every entity it reads (default namespace, field formats, no foreign root
 * fields, the envelope schema) and the validator of each kind idpkit writes.
 */
import {
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  KindValidator,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
} from '@backstage/catalog-model';

/** The catalog's entity policies, as its processing applies them. */
const POLICY = EntityPolicies.allOf([new DefaultNamespaceEntityPolicy(), new FieldFormatEntityPolicy(), new NoForeignRootFieldsEntityPolicy(), new SchemaValidEntityPolicy()]);

/** The kind validators of the kinds idpkit writes. */
const KIND_VALIDATORS: readonly KindValidator[] = [
  domainEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
];

const nameOf = (entity: unknown): string => {
  const value = entity as { kind?: unknown; metadata?: { name?: unknown } };
  return `${String(value?.kind)} "${String(value?.metadata?.name)}"`;
};

/**
 * What Backstage would refuse in these entities: one readable line per problem, naming the
 * entity; [] when every entity passes the policies and exactly one kind validator accepts it.
 */
export async function entityProblems(entities: readonly unknown[]): Promise<string[]> {
  const problems: string[] = [];
  for (const entity of entities) {
    try {
      // The policies may fill in defaults: validate a copy, as the catalog does.
      const checked = await POLICY.enforce(JSON.parse(JSON.stringify(entity)) as Entity);
      if (!checked) {
        problems.push(`${nameOf(entity)}: refused by the entity policies`);
        continue;
      }
      let accepted = 0;
      for (const validator of KIND_VALIDATORS) if (await validator.check(checked)) accepted++;
      if (accepted !== 1) problems.push(`${nameOf(entity)}: ${accepted} kind validators accept it (expected exactly one)`);
    } catch (error) {
      problems.push(`${nameOf(entity)}: ${(error as Error).message}`);
    }
  }
  return problems;
}
