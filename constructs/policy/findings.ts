/** How a finding affects synthesis: errors fail it, warnings are printed. */
export type Severity = 'error' | 'warning';

/** One problem a check found in synthesized Terraform JSON. */
export interface Finding {
  /** Stable rule id, e.g. `IDP-SECRET-001`. */
  readonly rule: string;
  /** Whether the finding fails synthesis. */
  readonly severity: Severity;
  /** The stack (cdktf.out/stacks/<stack>) the finding is in. */
  readonly stack: string;
  /** The file, relative to the output directory, when known. */
  readonly file?: string;
  /** The Terraform address of the resource (`type.name`), when the finding is about one. */
  readonly resource?: string;
  /** The JSON path inside the file, e.g. `resource.helm_release.vault.values[0]`. */
  readonly path?: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** A finding a suppression accepted. */
export interface SuppressedFinding extends Finding {
  /** The suppression's reason. */
  readonly reason: string;
}
