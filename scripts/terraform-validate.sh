#!/usr/bin/env bash
# Parses every synthesized stack with Terraform's own loader (`terraform validate` without init).
# Without providers Terraform stops at "Missing required provider" after loading the configuration,
# so a stack whose only errors are that one is structurally valid; anything else fails this check.
# Usage: scripts/terraform-validate.sh [cdktf.out]   (CI runs it; the README test command does not)
set -euo pipefail
outdir=${1:-cdktf.out}
if ! command -v terraform >/dev/null 2>&1; then
  echo "terraform not installed: skipping the structural check of $outdir"
  exit 0
fi
export TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1
failed=0
for dir in "$outdir"/stacks/*/; do
  stack=$(basename "$dir")
  report=$(cd "$dir" && terraform validate -json -no-color 2>/dev/null || true)
  problems=$(printf '%s' "$report" | node -e '
    let text = ""; process.stdin.on("data", (d) => (text += d)).on("end", () => {
      const { diagnostics = [] } = JSON.parse(text || "{}");
      const other = diagnostics.filter((d) => d.summary !== "Missing required provider");
      for (const d of other) console.log(`${d.severity}: ${d.summary}: ${d.detail ?? ""}`);
    });')
  if [ -n "$problems" ]; then
    echo "$stack: FAILED"; echo "$problems" | sed 's/^/  /'; failed=1
  else
    echo "$stack: configuration valid"
  fi
done
exit $failed
