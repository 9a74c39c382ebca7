// `npm run demo` (and anyone who wants the fast cpu backend): makes sure OpenBLAS is there. On Debian/Ubuntu as root
// it installs libopenblas0-pthread with apt-get; otherwise it prints the one line to run and carries on — loudly:
// without BLAS the matrix products run on tfjs's JavaScript kernels, about 25 times slower.
//   node scripts/ensure-blas.mjs
import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';

const found = () => {
  if (process.platform === 'darwin') return true; // Accelerate ships with macOS
  if (process.platform !== 'linux') return false;
  const dirs = ['/usr/lib', '/usr/lib64', '/usr/local/lib', ...fs.readdirSync('/usr/lib').filter((d) => d.endsWith('-linux-gnu')).map((d) => `/usr/lib/${d}`)];
  return dirs.some((d) => ['libopenblas.so.0', 'openblas-pthread/libopenblas.so.0', 'openblas-openmp/libopenblas.so.0'].some((f) => fs.existsSync(`${d}/${f}`)));
};

const warn = (m) => process.stderr.write(`\n*** ${m}\n\n`);
if (!found()) {
  const apt = spawnSync('bash', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (apt && process.getuid?.() === 0) {
    process.stderr.write('[ensure-blas] installing OpenBLAS (apt-get install -y libopenblas0-pthread) for the fast cpu backend\n');
    const r = spawnSync('bash', ['-c', 'export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq --no-install-recommends libopenblas0-pthread'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0 || !found()) warn('could not install OpenBLAS with apt-get: the demo runs on the slow JavaScript matrix products (about 25× slower; the results are the same up to float rounding).');
  } else {
    warn(`OpenBLAS is not installed: the demo runs on the slow JavaScript matrix products (about 25× slower). Install it with:\n    ${apt ? 'sudo apt-get install -y libopenblas0-pthread' : 'your system\'s OpenBLAS package (libopenblas.so.0)'}`);
  }
}
