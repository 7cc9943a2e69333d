# Shared by pack-smoke.sh and team-app-smoke.sh (sourced, with `root` set to the checkout): packs
# idpkit as npm would publish it, checks what the tarball carries, and runs the README's install
# commands for real in a throwaway folder.

# Packs idpkit into `$work/idpkit/` of a new temporary directory (removed on exit), as the README's
# "Install" section packs a checkout beside the project; sets `work` and `tarball` (the file name).
pack_idpkit() {
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/idpkit"
  tarball=$(cd "$root" && npm pack --silent --pack-destination "$work/idpkit" 2>/dev/null | tail -n 1)
  echo "packed $tarball ($(du -h "$work/idpkit/$tarball" | cut -f1))"
}

# Fails unless the tarball carries the license and no TypeScript sources or source maps (maps
# would point at sources it does not carry).
check_tarball_contents() {
  local listing
  listing=$(tar -tzf "$work/idpkit/$tarball")
  grep -qx 'package/LICENSE' <<<"$listing" || { echo "the package does not carry LICENSE" >&2; return 1; }
  if grep -E '\.(ts|map)$' <<<"$listing" | grep -vE '\.d\.ts$' | grep -q .; then
    echo "the package ships TypeScript sources or source maps; it should ship compiled JS and .d.ts only:" >&2
    grep -E '\.(ts|map)$' <<<"$listing" | grep -vE '\.d\.ts$' | head -n 5 >&2
    return 1
  fi
}

# Prints the shell commands of README.md's code blocks marked `sh test:pack`, in order: the
# commands the README tells a user to type, so the docs and this check cannot drift apart.
readme_commands() {
  node -e '
const text = require("node:fs").readFileSync(process.argv[1], "utf8");
const blocks = [...text.matchAll(/^```sh test:pack\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
if (blocks.length === 0) { console.error("README.md has no ```sh test:pack blocks"); process.exit(1); }
process.stdout.write(blocks.join(""));
' "$root/README.md"
}

# Runs the README's commands in `$work`, beside the packed `idpkit/`, as a user types them, with
# npm's network limited to the registry and answered from its cache where it can; sets `project`
# to the folder the commands end in. Nothing is linked from this checkout.
run_readme_commands() {
  local version expected
  version=$(node -p 'require(process.argv[1]).version' "$root/package.json")
  expected="../idpkit/idpkit-$version.tgz"
  readme_commands | grep -qF "$expected" || {
    echo "README.md's install commands do not install $expected (package.json says $version): update the version there" >&2
    return 1
  }
  readme_commands >"$work/readme-commands.sh"
  echo "running README.md's install commands:"
  sed 's/^/  $ /' "$work/readme-commands.sh"
  (
    cd "$work"
    export npm_config_prefer_offline=true npm_config_audit=false npm_config_fund=false \
      npm_config_update_notifier=false CHECKPOINT_DISABLE=1
    # shellcheck disable=SC1091
    set -euo pipefail && . "$work/readme-commands.sh" && pwd >"$work/project-dir"
  ) >"$work/readme-commands.log" 2>&1 || {
    echo "README.md's install commands failed; what they printed:" >&2
    cat "$work/readme-commands.log" >&2
    return 1
  }
  echo "README.md's install commands ran"
  project=$(cat "$work/project-dir")
  check_no_links_into_checkout
}

# Fails when anything under `$work` links into this checkout or its node_modules: what the apps
# run must come from the tarball and the registry.
check_no_links_into_checkout() {
  local checkout
  checkout=$(readlink -f "$root/node_modules")
  if find "$work" -type l -exec readlink -f {} + | grep -qE "^($root|$checkout)/"; then
    echo "the project links into this checkout; it must install everything from the tarball and the registry" >&2
    return 1
  fi
}
