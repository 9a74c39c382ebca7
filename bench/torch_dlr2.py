"""PyTorch peer for `npm run bench -- ranking --only step`: DLR2's training step as the authors' code runs it
(codes/DLR2: the ResNet feature net over a (1 + 5) x 64 one-channel image, the S and G nets, square-square + hinge
losses with margin 0.5, one Adam step on all three nets), written here from the architecture (not copied), float32,
CPU, threads = cores, on random embeddings. The authors' loop evaluates the feature net twice per step (positives and
negatives share user and state); `twice=1` does the same, `twice=0` once as our port. Prints one JSON line with the
median seconds per step."""
import json, os, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout)) if stride != 1 or cin != cout else None
    def forward(self, x):
        y = self.c2(F.relu(self.c1(x)))
        return F.relu(y + (self.down(x) if self.down is not None else x))

class Feature(nn.Module):
    def __init__(self, dim, state):
        super().__init__()
        self.conv = nn.Conv2d(1, 64, 1, bias=False)
        self.b1 = Block(64, 64, 1)
        self.b2 = Block(64, 128, 2)
        self.fc = nn.Linear(128 * (state - 2) * (dim // 2), dim)
    def forward(self, x):
        x = self.b2(self.b1(F.relu(self.conv(x))))
        return self.fc(torch.flatten(x, 1))

def mlp(sizes, last=None):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    if last:
        layers.append(last)
    return nn.Sequential(*layers)

def main():
    steps, twice = int(sys.argv[1]), int(sys.argv[2])
    torch.set_num_threads(int(os.environ.get('KRL_THREADS', os.cpu_count())))
    torch.manual_seed(1)
    dim, state, batch, m = 64, 5, 32, 0.5
    feat, S, G = Feature(dim, state), mlp([2 * dim, 256, 256, 128, 1]), mlp([dim, 256, 256, 128, dim], nn.Tanh())
    params = list(feat.parameters()) + list(S.parameters()) + list(G.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    users, items = torch.randn(1000, dim), torch.randn(1000, dim)
    times = []
    for it in range(steps + 3):
        u = torch.randint(0, 1000, (batch,))
        st = torch.randint(0, 1000, (batch, state))
        pos, neg = items[torch.randint(0, 1000, (batch,))], items[torch.randint(0, 1000, (batch,))]
        t0 = time.perf_counter()
        img = torch.cat([users[u].unsqueeze(1), items[st]], 1).unsqueeze(1)
        ps = feat(img)
        ns = feat(img) if twice else ps
        lc = (S(torch.cat([ps, pos], 1)) ** 2 + F.relu(m - S(torch.cat([ns, neg], 1))) ** 2).mean()
        la = F.relu(((G(ps) - pos) ** 2).mean(1) - ((G(ns) - neg) ** 2).mean(1) + m).mean()
        opt.zero_grad()
        (la + lc).backward()
        opt.step()
        if it >= 3:
            times.append(time.perf_counter() - t0)
    times.sort()
    print(json.dumps({'secondsPerStep': times[len(times) // 2], 'steps': steps, 'twice': twice, 'threads': torch.get_num_threads(), 'torch': torch.__version__}))

if __name__ == '__main__':
    main()
