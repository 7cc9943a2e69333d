/**
 * What every add-on's config has, and how an add-on's config schema is made: the part of the
 * environment schema under `platform.addons.<key>`.
 */
import { z } from 'zod';

/** What every add-on's config has. */
export interface AddonConfig {
  /** Install the add-on. */
  readonly enabled: boolean;
  /** Escape hatch: chart values deep-merged over idpkit's, per release name. */
  readonly values?: Readonly<Record<string, Record<string, unknown>>>;
}

/**
 * The schema of an add-on's config: `enabled`, the `values` escape hatch (by release name), and
 * the add-on's own typed settings.
 */
export function addonConfigSchema<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.strictObject({
    /** Install the add-on. */
    enabled: z.boolean({ error: 'is not true or false' }),
    /** Chart values deep-merged over idpkit's, by release name. @default {} */
    values: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    ...shape,
  });
}

/** The part of an environment whose add-ons {@link enabledConfigOf} reads. */
export interface WithAddons {
  readonly platform?: { readonly addons?: object };
}

/** An add-on's config in an environment when the environment enables it, for add-ons whose defaults follow another's. */
export function enabledConfigOf<Config extends AddonConfig = AddonConfig>(env: WithAddons, key: string): Config | undefined {
  const config = (env.platform?.addons as Readonly<Record<string, AddonConfig | undefined>> | undefined)?.[key];
  return config?.enabled ? (config as Config) : undefined;
}
