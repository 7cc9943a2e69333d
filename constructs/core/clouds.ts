/** The clouds idpkit targets, each behind the same typed constructs. */
export const CLOUDS = ['aws', 'azure', 'gcp'] as const;

/** A cloud idpkit targets. */
export type Cloud = (typeof CLOUDS)[number];
