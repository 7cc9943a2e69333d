# Shared by pack-smoke.sh and team-app-smoke.sh (sourced, with `root` set to the checkout):
# packs idpkit as npm would publish it and installs the tarball into throwaway apps, whose other
# dependencies (cdktf, constructs, providers, idpkit's libraries, typescript, ts-node) are linked
# from this checkout's node_modules to keep the checks offline and fast.

# Packs idpkit into a new temporary directory (removed on exit); sets `work` and `tarball`.
pack_idpkit() {
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  tarball=$(cd "$root" && npm pack --silent --pack-destination "$work" 2>/dev/null | tail -n 1)
  echo "packed $tarball ($(du -h "$work/$tarball" | cut -f1))"
}

# Installs the packed idpkit and links the other dependencies into the app directory $1.
install_packed_idpkit() {
  local app=$1 dep
  mkdir -p "$app/node_modules/idpkit"
  tar -xzf "$work/$tarball" -C "$app/node_modules/idpkit" --strip-components=1
  for dep in cdktf constructs @cdktf zod yaml ajv @types typescript commander cli-table3 @inquirer ts-node ipaddr.js cron-parser luxon proper-lockfile graceful-fs retry signal-exit; do
    mkdir -p "$app/node_modules/$(dirname "$dep")"
    ln -s "$root/node_modules/$dep" "$app/node_modules/$dep"
  done
}
