"""PyTorch reference for `npm run bench -- backends`: one full-batch loss + gradient evaluation of the GLocal-K
local-kernel autoencoder (n_users -> 500 -> 500 -> n_users, sigmoid, items as rows), float32 on the CPU with
threads = cores. The same loss as src/core/models/glocalK.ts pre-training. Prints one JSON line."""
import json, os, sys, time
import numpy as np
import torch

def main():
    n_items, n_users, density, reps = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    threads = int(os.environ.get('KRL_THREADS', os.cpu_count()))
    torch.set_num_threads(threads)
    rng = np.random.default_rng(1)
    R = np.zeros((n_items, n_users), np.float32)
    mask = rng.random((n_items, n_users)) < density
    R[mask] = rng.integers(1, 6, mask.sum())
    R = torch.from_numpy(R)
    M = (R > 0).float()
    lam2, lams, d, hidden = 20.0, 0.006, 5, 500
    def layer(n_in, n_out):
        lim = (6 / (n_in + n_out)) ** 0.5
        W = (torch.rand(n_in, n_out) * 2 - 1) * lim
        b = (torch.rand(n_out) * 2 - 1) * (3 / n_out) ** 0.5
        u = torch.randn(n_in, d) * 1e-3
        v = torch.randn(n_out, d) * 1e-3
        return [t.requires_grad_() for t in (W, b, u, v)]
    layers = [layer(n_users, hidden), layer(hidden, hidden), layer(hidden, n_users)]
    params = [p for l in layers for p in l]
    def loss():
        x, reg = R, 0.0
        for i, (W, b, u, v) in enumerate(layers):
            dist = ((u.unsqueeze(1) - v.unsqueeze(0)) ** 2).sum(2)   # squared distance, computed directly
            K = torch.clamp(1 - dist, min=0)
            x = x @ (W * K) + b
            if i < 2:
                x = torch.sigmoid(x)
            reg = reg + lams / 2 * (K ** 2).sum() + lam2 / 2 * (W ** 2).sum()
        return 0.5 * ((M * (R - x)) ** 2).sum() + reg
    times = []
    for i in range(reps + 1):
        t = time.perf_counter()
        for p in params:
            p.grad = None
        f = loss()
        f.backward()
        _ = [p.grad.sum().item() for p in params]
        if i > 0:
            times.append(time.perf_counter() - t)
    print(json.dumps({'median_s': float(np.median(times)), 'times': times, 'threads': threads, 'torch': torch.__version__, 'loss': float(f)}))

if __name__ == '__main__':
    main()
