import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Lbfgs, Objective } from '../../src/core/optim/lbfgs';
import { moreThuente } from '../../src/core/optim/lineSearch';

function rosenbrock(n: number): Objective & { calls: number } {
  const o = {
    calls: 0,
    async evaluate(x: Float64Array) {
      o.calls++;
      let f = 0;
      const g = new Float64Array(n);
      for (let i = 0; i < n - 1; i++) {
        const a = x[i + 1] - x[i] * x[i];
        const b = 1 - x[i];
        f += 100 * a * a + b * b;
        g[i] += -400 * x[i] * a - 2 * b;
        g[i + 1] += 200 * a;
      }
      return { f, g };
    },
  };
  return o;
}

// scipy 1.17.1 L-BFGS-B with default options, same starting points (python3 -c "...", run once):
//   rosen n=2   from (-1.2, 1):          nit 36,  nfev 44,  f 2.8e-12
//   rosen n=100 from (-1.2, 1, -1.2, …): nit 515, nfev 604, f 9.4e-10
//   quadratic ½xᵀdiag(1..50)x − 1ᵀx from 0: nit 35, nfev 39, f −2.2496026679627630
// Our counts must be in the same range (the algorithms match; floating-point paths differ slightly).

test('Rosenbrock n = 2 reaches (1, 1) with scipy-like effort', async () => {
  const o = rosenbrock(2);
  const opt = new Lbfgs(o, Float64Array.from([-1.2, 1]));
  const r = await opt.run();
  assert.ok(Math.abs(opt.point[0] - 1) < 1e-4 && Math.abs(opt.point[1] - 1) < 1e-4, `x = ${opt.point}`);
  assert.ok(r.f < 1e-8, `f = ${r.f}`);
  assert.ok(r.iterations >= 20 && r.iterations <= 60, `iterations ${r.iterations} (scipy 36)`);
  assert.ok(r.evaluations >= 25 && r.evaluations <= 75, `evaluations ${r.evaluations} (scipy 44)`);
  assert.equal(o.calls, r.evaluations);
});

test('Rosenbrock n = 100 reaches the all-ones minimum', async () => {
  const n = 100;
  const x0 = Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
  const opt = new Lbfgs(rosenbrock(n), x0);
  const r = await opt.run();
  let err = 0;
  for (const v of opt.point) err = Math.max(err, Math.abs(v - 1));
  assert.ok(err < 1e-3, `max |x − 1| = ${err}`);
  assert.ok(r.iterations >= 350 && r.iterations <= 800, `iterations ${r.iterations} (scipy 515)`);
  assert.ok(r.evaluations >= 400 && r.evaluations <= 950, `evaluations ${r.evaluations} (scipy 604)`);
});

test('convex quadratic: exact minimum x_i = 1/i', async () => {
  const n = 50;
  const obj: Objective = {
    async evaluate(x) {
      let f = 0;
      const g = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        f += 0.5 * (i + 1) * x[i] * x[i] - x[i];
        g[i] = (i + 1) * x[i] - 1;
      }
      return { f, g };
    },
  };
  const opt = new Lbfgs(obj, new Float64Array(n));
  const r = await opt.run();
  for (let i = 0; i < n; i++) assert.ok(Math.abs(opt.point[i] - 1 / (i + 1)) < 1e-4, `x[${i}] = ${opt.point[i]}`);
  assert.ok(Math.abs(r.f - -2.249602667962763) < 1e-8);
  assert.ok(r.iterations >= 20 && r.iterations <= 60, `iterations ${r.iterations} (scipy 35)`);
});

test('maxiter runs and restart(): epochs resume from the current point, as scipy minimize called per epoch', async () => {
  // scipy: x = (-1.2, 1); 30 × minimize(rosen, x, method='L-BFGS-B', options={'maxiter': 5}) → f = 0.011073608774828,
  // 219 evaluations in all (each call re-evaluates its starting point; we reuse the cached value: 219 − 29 = 190).
  const o = rosenbrock(2);
  const opt = new Lbfgs(o, Float64Array.from([-1.2, 1]));
  let last = Infinity;
  let r;
  for (let epoch = 0; epoch < 30; epoch++) {
    opt.restart();
    r = await opt.run({ maxiter: 5 });
    assert.ok(r.iterations <= 5);
    assert.ok(r.f <= last + 1e-12, 'f never increases across epochs');
    last = r.f;
  }
  assert.ok(Math.abs(last - 0.011073608774828) < 1e-8, `f after 30 epochs ${last}`);
  assert.ok(Math.abs(opt.totalEvaluations - 190) <= 10, `evaluations ${opt.totalEvaluations}`);
});

test('iteration callback sees decreasing f; cancellation stops the run', async () => {
  const opt = new Lbfgs(rosenbrock(2), Float64Array.from([-1.2, 1]));
  const fs: number[] = [];
  let n = 0;
  const r = await opt.run({ onIteration: (i) => { fs.push(i.f); n++; }, isCancelled: () => n >= 4 });
  assert.equal(r.reason, 'cancelled');
  assert.equal(fs.length, 4);
  for (let i = 1; i < fs.length; i++) assert.ok(fs[i] <= fs[i - 1]);
});

test('Moré–Thuente finds a strong-Wolfe step on a 1-D quartic', async () => {
  // φ(a) = (a − 2)⁴ − 1, φ'(0) = −32
  const phi = async (a: number) => ({ f: (a - 2) ** 4 - 1, g: 4 * (a - 2) ** 3 });
  const r = await moreThuente(phi, 15, -32, 1, { ftol: 1e-3, gtol: 0.1, xtol: 0.1, stpmin: 0, stpmax: 100, maxEvals: 20 });
  assert.equal(r.outcome, 'converged');
  const { f, g } = await phi(r.stp);
  assert.ok(f <= 15 + 1e-3 * r.stp * -32);
  assert.ok(Math.abs(g) <= 0.1 * 32);
  assert.ok(r.evals <= 10);
});

test('a non-finite loss along the direction shrinks the step instead of failing', async () => {
  const phi = async (a: number) => (a > 0.5 ? { f: NaN, g: NaN } : { f: (a - 0.3) ** 2, g: 2 * (a - 0.3) });
  const r = await moreThuente(phi, 0.09, -0.6, 1, { ftol: 1e-3, gtol: 0.9, xtol: 0.1, stpmin: 0, stpmax: 100, maxEvals: 20 });
  assert.notEqual(r.outcome, 'failed');
  assert.ok(r.stp > 0 && r.stp <= 0.5);
});
