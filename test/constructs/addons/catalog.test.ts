import { ADDON_CATALOG, addonClouds, addonConflicts, addonRunsOn } from '../../../constructs/addons/catalog';
import { ADDONS } from '../../../stacks/platform/catalog';

describe('the add-on catalog', () => {
  it('lists every add-on the platform stack installs, once, in its install order', () => {
    expect(ADDON_CATALOG.map((addon) => addon.key)).toEqual(ADDONS.map((addon) => addon.key));
  });

  it('names only add-ons of the catalog as conflicts, and each conflict both ways', () => {
    const keys = new Set(ADDON_CATALOG.map((addon) => addon.key));
    for (const addon of ADDON_CATALOG) {
      for (const other of addon.conflictsWith ?? []) {
        expect(keys.has(other)).toBe(true);
        expect(addonConflicts(other)).toContain(addon.key);
      }
    }
  });

  it('keeps EKS-only add-ons off Azure and GCP, and runs the rest (and unknown keys) everywhere', () => {
    expect(addonClouds('karpenter')).toEqual(['aws']);
    expect(addonRunsOn('karpenter', 'aws')).toBe(true);
    expect(addonRunsOn('karpenter', 'azure')).toBe(false);
    expect(addonRunsOn('cilium', 'gcp')).toBe(false);
    expect(addonRunsOn('certManager', 'gcp')).toBe(true);
    expect(addonRunsOn('notAnAddon', 'azure')).toBe(true);
    expect(addonConflicts('kyverno')).toEqual(['gatekeeper']);
    expect(addonConflicts('certManager')).toEqual([]);
  });
});
