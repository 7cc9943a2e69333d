/**
 * `idpkit/policy`: the guardrails. The engine (`checkStack`, `checkApp`, suppressions), the rule
 * packs (`ALL_RULES`, `APP_RULES`, one pack per cloud), what `idpkit check` runs
 * (`checkSynthesizedOutput`), SARIF, the secret scanner. The single rules are reached through
 * their packs. Loads no cloud provider. Re-exports only.
 *
 * @packageDocumentation
 */
export * from '../policy/engine';
export * from '../policy/check';
export * from '../policy/findings';
export * from '../policy/secrets';
export * from '../policy/rules';
export * from '../policy/sarif';
