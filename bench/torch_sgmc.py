"""PyTorch reference for `npm run bench -- sgmc --only step`: one gradient step of the SGMC energy
(X = Phi P C Q^T Psi^T, data term on the mask, Dirichlet and diagonalisation terms) written the way the paper's
TensorFlow code writes it (dense products, autograd, float32) on the CPU with threads = cores, at the shapes given
(m, n, p_max, q_max, density). Step = forward, backward and the plain gradient-descent update. Prints one JSON line."""
import json, os, sys, time
import numpy as np
import torch

def main():
    m, n, p, q, density, reps = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
    threads = int(os.environ.get('KRL_THREADS', os.cpu_count()))
    torch.set_num_threads(threads)
    rng = np.random.default_rng(1)
    S = torch.from_numpy((rng.random((m, n)) < density).astype(np.float32))
    M = S * torch.from_numpy(rng.integers(1, 6, (m, n)).astype(np.float32))
    Phi, _ = torch.linalg.qr(torch.randn(m, m))
    Psi, _ = torch.linalg.qr(torch.randn(n, n))
    lam_r = torch.rand(m) * 10
    lam_c = torch.rand(n) * 10
    mu_r = mu_c = 1e-3
    rho_r = rho_c = 1e-4
    a = 1e-2
    P = (a * torch.eye(m, p)).requires_grad_()
    C = (a * torch.eye(p, q)).requires_grad_()
    Q = (a * torch.eye(n, q)).requires_grad_()
    off_r = 1 - torch.eye(p)
    off_c = 1 - torch.eye(q)
    def energy():
        C_new = P @ C @ Q.T
        X = Phi @ C_new @ Psi.T
        e = ((X * S - M) ** 2).sum()
        e = e + mu_r * (lam_r[:, None] * C_new ** 2).sum() + mu_c * (lam_c[None, :] * C_new ** 2).sum()
        e = e + rho_r * ((off_r * (P.T @ (lam_r[:, None] * P))) ** 2).sum() + rho_c * ((off_c * (Q.T @ (lam_c[:, None] * Q))) ** 2).sum()
        return e
    times = []
    for i in range(reps + 1):
        t = time.perf_counter()
        for x in (P, C, Q):
            x.grad = None
        f = energy()
        f.backward()
        with torch.no_grad():
            for x in (P, C, Q):
                x -= 1e-6 * x.grad
        if i > 0:
            times.append(time.perf_counter() - t)
    print(json.dumps({'median_s': float(np.median(times)), 'times': times, 'threads': threads, 'torch': torch.__version__, 'energy': float(f)}))

if __name__ == '__main__':
    main()
