/**
 * DLR² training (the authors' codes/DLR2/main.py + interaction.py, networks in ./dlr2Net.ts):
 *
 * Data. Each user's fitted interactions sorted by time (repeats dropped, first occurrence kept) give sliding
 * windows: `state` consecutive items and the next one as the positive. Each user has a pool of `negPool` negatives
 * drawn uniformly (with replacement) from the items they have not interacted with in the fitted part. A replay
 * memory is filled `storeSize` windows at a time, shuffled, each window with a negative drawn from its user's pool;
 * batches are `batch` consecutive windows of it (the code's p_memory / n_memory walk). Positive and negative of a
 * window share the user and state, so the feature net runs once per window (the code runs it twice on identical
 * inputs: same values, same gradients).
 *
 * Step. loss = hinge(G) + square-square(S); one Adam step (β 0.9 / 0.999, ε 1e-8, torch's update, ../../optim/adam.ts: one
 * fused pass per variable) on the feature net, S
 * and G (and the embeddings when they train), learning rate lr·(1 + cos(π t / T))/2 at step t (torch's
 * CosineAnnealingLR stepped after each update) or constant.
 *
 * Ranking. S scores (user, state, item); lower is better (positives were pushed to 0), so the ranking score is −S.
 * Validation ranks from the state of the last `state` fitted items, test from the last `state` of fitted ∪
 * validation (the code's testing()). The first dense layer of S splits into a user half and an item half, so the
 * item half is computed once per evaluation for all items and each (user, item) pair costs two small layers
 * (the op pairMlpScores: blocks of sgemm on the cpu backend).
 *
 * Selection: (a)/(b)/(c) by the task's metric (HR@10 by default) as every model; the authors' own rule (best test
 * P@1 among the evaluations where validation P@1 improved) is reported beside them as a table.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { TrainFn } from '../model';
import type { RatingMatrix } from '../../data/ratingMatrix';
import { pairMlpScores } from '../../linalg/ops';
import { Adam } from '../../optim/adam';
import { buildDlr2, denseWeights, featureInfer, featureTrain, hingeLoss, squareSquareLoss, stateImage } from './dlr2Net';
import { embeddingFrames, rankingCurvePoints, runEmbeddings } from './params';

/** Per user, the item indices sorted by time (ties by position), repeats dropped. */
export function userSequences(parts: RatingMatrix[], nUsers: number): Int32Array[] {
  const rows: { item: number; t: number; k: number }[][] = Array.from({ length: nUsers }, () => []);
  let k = 0;
  for (const p of parts) {
    for (let j = 0; j < p.length; j++, k++) rows[p.users[j]].push({ item: p.items[j], t: p.timestamps ? p.timestamps[j] : k, k });
  }
  return rows.map((r) => {
    r.sort((a, b) => a.t - b.t || a.k - b.k);
    const seen = new Set<number>();
    const out: number[] = [];
    for (const x of r) if (!seen.has(x.item)) {
      seen.add(x.item);
      out.push(x.item);
    }
    return Int32Array.from(out);
  });
}

/** The last `state` items of a sequence, left-padded with its first item when it is shorter (−1 when empty). */
export function lastState(seq: Int32Array, state: number): Int32Array {
  const out = new Int32Array(state).fill(seq.length ? seq[0] : -1);
  const take = Math.min(state, seq.length);
  out.set(seq.subarray(seq.length - take), state - take);
  return out;
}

export const train: TrainFn = async (ctx) => {
  const tf = ctx.tf as typeof tfNs;
  if (!tf) throw new Error('dlr2 needs tfjs');
  const { fit, val, nUsers, nItems } = ctx.data;
  const hp = ctx.hp;
  const iterations = hp.iterations as number;
  const every = hp.evalEvery as number;
  const state = hp.state as number;
  const B = hp.batch as number;
  const margin = hp.margin as number;
  const lr0 = hp.lr as number;
  const rng = ctx.rng;

  const emb = runEmbeddings(ctx);
  const d = emb.dims;
  const trainEmb = hp.embeddings === 'trained' || (hp.embeddings === 'auto' && hp.init === 'random');
  ctx.log(`embeddings (${emb.spec.method}${emb.fromCache ? ', cached' : `, ${emb.seconds.toFixed(1)} s`}) ${trainEmb ? 'trained' : 'frozen'}`);
  const userEmb = tf.variable(tf.tensor2d(emb.users.vectors, [nUsers, d]), trainEmb, 'dlr2/userEmb');
  const itemEmb = tf.variable(tf.tensor2d(emb.items.vectors, [nItems, d]), trainEmb, 'dlr2/itemEmb');
  const nets = buildDlr2(tf, d, state, rng);

  // windows over the fitted sequences
  const fitSeq = userSequences([fit], nUsers);
  const testSeq = userSequences([fit, val], nUsers);
  const wUser: number[] = [];
  const wStart: number[] = [];
  for (let u = 0; u < nUsers; u++) for (let s = 0; s + state < fitSeq[u].length; s++) {
    wUser.push(u);
    wStart.push(s);
  }
  const nWin = wUser.length;
  if (nWin === 0) throw new Error(`dlr2: no user has more than ${state} fitted interactions, so there is no (state, next item) window to train on`);
  const fitSets = fitSeq.map((s) => new Set(s));
  const pools = Array.from({ length: nUsers }, (_, u) => {
    const pool = new Int32Array(hp.negPool as number);
    if (fitSets[u].size >= nItems) return pool.fill(-1);
    for (let t = 0; t < pool.length; t++) {
      let j = rng.int(nItems);
      while (fitSets[u].has(j)) j = rng.int(nItems);
      pool[t] = j;
    }
    return pool;
  });
  ctx.log(`${nWin} training windows (state ${state}) from ${nUsers} users; ${pools[0].length} negatives per user`);

  // the replay memory: blocks of shuffled windows, each with a negative from its user's pool
  let queue: number[] = [];
  let qNeg: number[] = [];
  const refill = () => {
    const perm = rng.permutation(nWin);
    const take = Math.min(hp.storeSize as number, nWin);
    for (let t = 0; t < take; t++) {
      const w = perm[t];
      const neg = pools[wUser[w]][rng.int(pools[wUser[w]].length)];
      if (neg < 0) continue;
      queue.push(w);
      qNeg.push(neg);
    }
  };
  const nextBatch = () => {
    while (queue.length < B) refill();
    const ws = queue.slice(0, B);
    const ns = qNeg.slice(0, B);
    queue = queue.slice(B);
    qNeg = qNeg.slice(B);
    const users = Int32Array.from(ws, (w) => wUser[w]);
    const states = new Int32Array(B * state);
    const pos = new Int32Array(B);
    ws.forEach((w, b) => {
      const seq = fitSeq[wUser[w]];
      states.set(seq.subarray(wStart[w], wStart[w] + state), b * state);
      pos[b] = seq[wStart[w] + state];
    });
    return { users, states, pos, neg: Int32Array.from(ns) };
  };

  const vars = [...nets.feature.trainableWeights, ...nets.critic.trainableWeights, ...nets.actor.trainableWeights].map((w) => w.read() as tfNs.Variable);
  if (trainEmb) vars.push(userEmb, itemEmb);
  const optimizer = new Adam(tf, vars, { lr: lr0, beta1: 0.9, beta2: 0.999, eps: 1e-8 });

  // scoring all items for a batch of users: −S, with S's first layer split into its state half (per user) and
  // its item half (computed once per evaluation for all items); the pairs go through the op pairMlpScores
  const scorer = () => {
    const [k1, b1] = denseWeights(nets.critic.layers[0]);
    const itemHalf = tf.tidy(() => tf.add(tf.matMul(itemEmb, tf.slice(k1, [d, 0], [d, -1])), b1)) as tfNs.Tensor2D;
    const stateHalf = tf.slice(k1, [0, 0], [d, -1]) as tfNs.Tensor2D;
    const rest = [1, 2, 3].map((l) => denseWeights(nets.critic.layers[l]));
    const score = async (users: Int32Array, part: 'val' | 'test'): Promise<Float32Array> => {
      const out = new Float32Array(users.length * nItems);
      const chunk = 128;
      for (let a = 0; a < users.length; a += chunk) {
        const us = users.subarray(a, Math.min(users.length, a + chunk));
        const st = new Int32Array(us.length * state);
        us.forEach((u, k) => st.set(lastState(part === 'test' ? testSeq[u] : fitSeq[u], state).map((x) => Math.max(0, x)), k * state));
        const s = tf.tidy(() => {
          const img = stateImage(tf, tf.gather(userEmb, tf.tensor1d(us, 'int32')) as tfNs.Tensor2D, tf.gather(itemEmb, tf.tensor1d(st, 'int32')) as tfNs.Tensor2D, state);
          const userHalf = tf.matMul(featureInfer(tf, nets, img, B), stateHalf) as tfNs.Tensor2D;
          return tf.neg(pairMlpScores(tf, userHalf, itemHalf, rest));
        });
        out.set((await s.data()) as Float32Array, a * nItems);
        s.dispose();
      }
      return out;
    };
    // getWeights() hands out the layers' own variables: only the tensors made here are ours to dispose
    const dispose = () => tf.dispose([itemHalf, stateHalf]);
    return { score, dispose };
  };

  const evals = Math.ceil(iterations / every);
  ctx.setTotalEpochs(evals);
  const uLabel = (u: number) => `user ${fit.userIds.ids[u]}`;
  const iLabel = (i: number) => `item ${fit.itemIds.ids[i]}`;
  let bestValP1 = -Infinity;
  let authors: { evaluation: number; iteration: number; test: Record<string, number> } | undefined;
  let lossSum = 0;
  let lossN = 0;
  let e = 0;
  for (let it = 0; it < iterations; it++) {
    ctx.checkCancelled();
    const lr = hp.schedule === 'cosine' ? (lr0 * (1 + Math.cos((Math.PI * it) / iterations))) / 2 : lr0;
    optimizer.lr = lr;
    const batch = nextBatch();
    const v = await optimizer.step(() => tf.tidy(() => {
      const ui = tf.tensor1d(batch.users, 'int32');
      const img = stateImage(tf, tf.gather(userEmb, ui) as tfNs.Tensor2D, tf.gather(itemEmb, tf.tensor1d(batch.states, 'int32')) as tfNs.Tensor2D, state);
      const s = featureTrain(tf, nets, img);
      const pa = tf.gather(itemEmb, tf.tensor1d(batch.pos, 'int32')) as tfNs.Tensor2D;
      const na = tf.gather(itemEmb, tf.tensor1d(batch.neg, 'int32')) as tfNs.Tensor2D;
      const pr = nets.critic.apply(tf.concat([s, pa], 1)) as tfNs.Tensor;
      const nr = nets.critic.apply(tf.concat([s, na], 1)) as tfNs.Tensor;
      const g = nets.actor.apply(s) as tfNs.Tensor2D;
      return tf.add(squareSquareLoss(tf, pr, nr, margin), hingeLoss(tf, g, pa, na, margin)) as tfNs.Scalar;
    }));
    lossSum += v;
    lossN++;
    if (it % 10 === 0) ctx.lossPoint('train', it, v);
    if (!Number.isFinite(v)) throw new Error(`dlr2: the loss became ${v} at iteration ${it + 1} (try a smaller lr)`);
    if ((it + 1) % every === 0 || it + 1 === iterations) {
      e++;
      const tEval = Date.now();
      const sc = scorer();
      const first = e === 1;
      let noted = false;
      // the authors' rule: when validation P@1 does not drop (≥ best so far), the test P@1 is a candidate; keep the best
      const noteAuthors = (m: { val: Record<string, number>; test: Record<string, number> }) => {
        if (noted) return;
        noted = true;
        const vp1 = m.val['p@1'];
        if (vp1 === undefined || vp1 < bestValP1) return;
        bestValP1 = vp1;
        const tp1 = m.test['p@1'] ?? -Infinity;
        if (!authors || tp1 >= (authors.test['p@1'] ?? -Infinity)) authors = { evaluation: e, iteration: it + 1, test: m.test };
      };
      try {
        const m = await ctx.epochEnd({
          phase: 'train', epoch: e, epochs: evals, trainLoss: lossSum / Math.max(1, lossN), iterations: it + 1,
          predict: async (us, is) => {
            // pairs: score each user's row and pick the items (used by generic callers only)
            const uniq = Int32Array.from(new Set(us));
            const rows = await sc.score(uniq, 'test');
            const at = new Map(Array.from(uniq, (u, k) => [u, k] as [number, number]));
            return Float32Array.from(us, (u, t) => rows[(at.get(u) as number) * nItems + is[t]]);
          },
          scoreUsers: sc.score,
          artifacts: ({ metrics }) => {
            noteAuthors(metrics);
            const frames = [{ name: 'ranking curves', data: { view: 'line' as const, points: rankingCurvePoints(metrics, it + 1), xLabel: 'iteration', yLabel: 'metric', yRange: [0, 1] as [number, number] } }];
            if (first) {
              const [u, i, sp] = embeddingFrames(emb, uLabel, iLabel);
              frames.push({ name: 'user embedding', data: u as never }, { name: 'item embedding', data: i as never }, { name: 'spectrum', data: sp as never });
            }
            if (authors) frames.push({ name: 'authors checkpoint', data: { view: 'table' as const, columns: ['evaluation', 'iteration', 'test HR@10', 'test P@1', 'test P@10', 'test R@10'], rows: [[authors.evaluation, authors.iteration, authors.test['hr@10'] ?? NaN, authors.test['p@1'] ?? NaN, authors.test['p@10'] ?? NaN, authors.test['r@10'] ?? NaN]] } as never });
            return frames.map((f) => ({ ...f, phase: 'train' as const, epoch: e, globalEpoch: e }));
          },
        });
        noteAuthors(m);
      } finally {
        sc.dispose();
      }
      ctx.log(`iteration ${it + 1}: evaluation (validation and test, every item for every user) ${((Date.now() - tEval) / 1000).toFixed(1)} s`, 'debug');
      lossSum = 0;
      lossN = 0;
    }
  }
  if (authors) ctx.log(`the authors' checkpoint rule (paper protocol): evaluation ${authors.evaluation} (iteration ${authors.iteration}), test HR@10 ${authors.test['hr@10']?.toFixed(4)}, P@1 ${authors.test['p@1']?.toFixed(4)}`);
  tf.dispose([userEmb, itemEmb]);
  nets.feature.dispose();
  nets.critic.dispose();
  nets.actor.dispose();
  optimizer.dispose();
};
