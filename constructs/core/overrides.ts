import type { TerraformResource } from './cdktf';

/** Sets Terraform attribute paths on a resource as given (cdktf `addOverride`): idpkit's escape hatch. */
export function applyOverrides(resource: TerraformResource, overrides: Readonly<Record<string, unknown>> | undefined): void {
  for (const [path, value] of Object.entries(overrides ?? {})) resource.addOverride(path, value);
}
