/**
 * Where an environment's alarms and budget alerts go, whatever the cloud: an SNS topic with email
 * subscriptions (AWS), an Azure Monitor action group (Azure) or Cloud Monitoring email
 * notification channels (GCP). Each cloud's class exposes the handle its alerting resources take.
 */
export interface AlertRecipients {
  /** The email addresses that receive the alerts. */
  readonly emails: readonly string[];
}

/** Props every cloud's recipients take. */
export interface AlertRecipientsProps {
  /** Name of the topic, action group or channels' display name prefix, e.g. `idp-prod-alerts`. */
  readonly name: string;
  /** Email addresses that receive the alerts (at least one). */
  readonly emails: readonly string[];
}

/** An email address as the clouds' notification services accept it: `local@domain.tld`, no spaces. */
export const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Names of topics, action groups and channel prefixes: 1-64 letters, digits, "_" and "-". */
export const ALERT_RECIPIENTS_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * Problems with a list of alert email addresses: empty, malformed or repeated. `field` names the
 * prop in the messages.
 */
export function emailProblems(path: string, emails: readonly string[], field = 'emails'): string[] {
  if (emails.length === 0) return [`${path}: ${field} is empty (name at least one recipient)`];
  const problems: string[] = [];
  const seen = new Set<string>();
  emails.forEach((email) => {
    if (!EMAIL_ADDRESS.test(email)) problems.push(`${path}: ${field} entry "${email}" is not an email address (expected e.g. platform-team@example.com)`);
    const key = email.toLowerCase();
    if (seen.has(key)) problems.push(`${path}: ${field} lists "${email}" twice (each address once)`);
    seen.add(key);
  });
  return problems;
}

/** Problems with recipients props, for the cloud constructs' validation. */
export function alertRecipientsProblems(path: string, props: AlertRecipientsProps): string[] {
  const problems = emailProblems(path, props.emails);
  if (!ALERT_RECIPIENTS_NAME.test(props.name)) {
    problems.unshift(`${path}: name "${props.name}" is not a valid name (1-64 letters, digits, "_", "-", starting with a letter or digit)`);
  }
  return problems;
}

/**
 * Stable construct ids for per-address resources, derived from the address (`email-platform-example-com`),
 * so that adding or removing one recipient does not re-create the others. Addresses that would give
 * the same id get a numeric suffix.
 */
export function emailIds(emails: readonly string[]): [id: string, email: string][] {
  const used = new Set<string>();
  return emails.map((email) => {
    const base = `email-${email.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return [id, email];
  });
}
