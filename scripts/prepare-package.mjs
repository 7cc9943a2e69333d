// npm's `prepare` script. npm runs it after `npm install` / `npm ci` in a checkout, and when it
// packs this directory: `npm pack`, `npm publish`, and installing idpkit from a git URL (npm
// clones it, installs its dependencies, then packs the clone). Only packing needs dist/, so this
// builds only then: npm's packer (pacote) sets npm_package_resolved to the directory it packs,
// a plain install does not. Installing in a checkout stays as fast as before; `npm run build`
// builds by hand.
import { execFileSync } from 'node:child_process';

if (process.env.npm_package_resolved) {
  execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
}
