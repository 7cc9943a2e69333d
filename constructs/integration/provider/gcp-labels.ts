/**
 * GCP's label rules: how idpkit turns tags into label keys and values. Provider-free, so the
 * environment schema checks tags against them without loading `@cdktf/provider-google`
 * (`idpkit/gcp` re-exports them from ./gcp).
 */
import { IdpkitError, describeValue } from '../../core/errors';

/** Longest GCP label key or value. */
export const GCP_LABEL_MAX_LENGTH = 63;

/** Prefix given to a label key that does not start with a lowercase letter, as GCP requires. */
export const GCP_LABEL_KEY_PREFIX = 'x-';

const sanitize = (text: string): string => text.toLowerCase().replace(/[^a-z0-9_-]/g, '-');

/**
 * A tag value as a GCP label value: lowercased, every character other than `a-z`, `0-9`, `_` and
 * `-` replaced by `-`, cut to 63 characters. Deterministic, so labels never drift between plans.
 *
 * @see https://cloud.google.com/resource-manager/docs/labels-overview#requirements
 * @example
 * gcpLabelValue('Platform Team'); // "platform-team"
 */
export function gcpLabelValue(value: string): string {
  return sanitize(value).slice(0, GCP_LABEL_MAX_LENGTH);
}

/**
 * A tag key as a GCP label key: sanitized like {@link gcpLabelValue}, and prefixed with
 * {@link GCP_LABEL_KEY_PREFIX} when it does not start with a lowercase letter.
 *
 * @example
 * gcpLabelKey('Cost Center'); // "cost-center"
 * gcpLabelKey('2fa');         // "x-2fa"
 */
export function gcpLabelKey(key: string): string {
  const clean = sanitize(key);
  return (/^[a-z]/.test(clean) ? clean : `${GCP_LABEL_KEY_PREFIX}${clean}`).slice(0, GCP_LABEL_MAX_LENGTH);
}

/**
 * Tags as GCP labels (see {@link gcpLabelKey} and {@link gcpLabelValue}). Throws an
 * {@link IdpkitError} (IDPKIT_INVALID_PROPS) when two tags would become the same label key,
 * rather than silently dropping one.
 *
 * @example
 * gcpLabels({ 'Data-Classification': 'Internal' }); // { "data-classification": "internal" }
 */
export function gcpLabels(tags: Readonly<Record<string, string>>): Record<string, string> {
  const labels: Record<string, string> = {};
  const sources: Record<string, string> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(tags)) {
    const label = gcpLabelKey(key);
    if (label in sources) {
      problems.push(
        `tags ${describeValue(sources[label])} and ${describeValue(key)} both become GCP label key "${label}" (label keys are lowercase a-z, 0-9, "_", "-"; rename one tag)`,
      );
      continue;
    }
    sources[label] = key;
    labels[label] = gcpLabelValue(value);
  }
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  return labels;
}
