/** The clouds idpkit targets, each behind the same typed constructs. */
export const CLOUDS = ['aws', 'azure', 'gcp'] as const;

/** A cloud idpkit targets. */
export type Cloud = (typeof CLOUDS)[number];

/** How messages and docs write each cloud's name. */
export const CLOUD_TITLES: Readonly<Record<Cloud, string>> = { aws: 'AWS', azure: 'Azure', gcp: 'GCP' };
