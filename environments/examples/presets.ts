import { CLOUDS } from '../../constructs/core/clouds';
import { environmentTemplate } from '../../constructs/presets/template';
import { SIZES } from '../../constructs/presets';
import { TIERS } from '../../constructs/core/tiers';

/**
 * Every preset on every cloud in every tier, as `idpkit init` writes them (placeholders
 * included): `IDPKIT_ENVIRONMENT_SET=presets` synthesizes them, so CI checks each preset's
 * Terraform, not only the ones the examples happen to use. Named `<size>-<cloud>-<tier>`.
 */
export const presetEnvironments = SIZES.flatMap((size, sizeIndex) =>
  CLOUDS.flatMap((cloud) =>
    TIERS.map((tier, tierIndex) =>
      environmentTemplate({ size, cloud, tier, name: `${size}-${cloud}-${tier}`, networkOctet: 100 + sizeIndex * 10 + tierIndex }),
    ),
  ),
);
