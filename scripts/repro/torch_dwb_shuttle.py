#!/usr/bin/python3
"""Independent reference for `npm run repro -- dwb-shuttle`: the same setup in
PyTorch (Debian's /usr/bin/python3: torch 1.13, scikit-learn 1.2.1), written
from the DWB paper (Fernando & Tsokos 2021, eq. 8 and eq. 13), not from our code.

Same data (data/repro/shuttle.csv, made by scripts/repro/make-repro-data.R),
same protocol (stratified 50/50 split per seed, each feature scaled to [0, 1]
on the training half as the paper does, or z-scores with --scaling standard),
same network shape (9-64-64-7 ReLU, softmax), Adam lr 1e-3,
batch 512, evaluated after 20 and 100 epochs; PyTorch's own initialisation,
splits and batch order (sklearn / torch RNGs), so runs agree in distribution,
not row by row.

    /usr/bin/python3 scripts/repro/torch_dwb_shuttle.py [--seeds 3] [--budgets 20,100] [--methods CE,WCE,focal,DWB] [--scaling minmax|standard] [--out FILE]

Prints a Markdown table and writes --out (default docs/reproductions/reference-dwb-shuttle-torch.json).
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLASSES = ['Rad.Flow', 'Fpv.Close', 'Fpv.Open', 'High', 'Bypass', 'Bpv.Close', 'Bpv.Open']


def loss_fn(name, counts):
    """Per-sample losses on logits, averaged over the batch (Keras semantics)."""
    counts = np.asarray(counts, dtype=np.float64)
    inv = torch.tensor(counts.sum() / (len(counts) * counts), dtype=torch.float32)  # sklearn 'balanced'
    dwb_w = torch.tensor(np.log(counts.max() / counts) + 1.0, dtype=torch.float32)  # DWB eq. 8

    def f(logits, y):
        logp = F.log_softmax(logits, dim=1)
        logp_y = logp.gather(1, y[:, None])[:, 0]
        p_y = logp_y.exp()
        if name == 'CE':
            per = -logp_y
        elif name == 'WCE':
            per = -inv[y] * logp_y
        elif name == 'focal':  # gamma 2, no alpha
            per = -((1 - p_y) ** 2) * logp_y
        else:  # DWB eq. 13: -w_y^(1-p_y) log p_y - p_y (1 - p_y)
            per = -(dwb_w[y] ** (1 - p_y)) * logp_y - p_y * (1 - p_y)
        return per.mean()
    return f


def ece(probs, labels, bins=15):
    conf = probs.max(1)
    correct = (probs.argmax(1) == labels).astype(np.float64)
    # bins ((m-1)/M, m/M]; a confidence of 0 goes to the first bin
    idx = np.clip(np.ceil(conf * bins).astype(int) - 1, 0, bins - 1)
    total = 0.0
    for m in range(bins):
        sel = idx == m
        if sel.any():
            total += sel.mean() * abs(correct[sel].mean() - conf[sel].mean())
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seeds', type=int, default=3)
    ap.add_argument('--budgets', default='20,100')
    ap.add_argument('--batch', type=int, default=512)
    ap.add_argument('--methods', default='CE,WCE,focal,DWB')
    ap.add_argument('--scaling', default='minmax', choices=['minmax', 'standard'])
    ap.add_argument('--out', default=os.path.join(ROOT, 'docs', 'reproductions', 'reference-dwb-shuttle-torch.json'))
    args = ap.parse_args()
    budgets = [int(b) for b in args.budgets.split(',')]
    torch.set_num_threads(1)
    data = np.loadtxt(os.path.join(ROOT, 'data', 'repro', 'shuttle.csv'), delimiter=',', skiprows=1)
    x_all, y_all = data[:, :-1].astype(np.float32), data[:, -1].astype(np.int64)
    methods = args.methods.split(',')
    res = {b: {m: [] for m in methods} for b in budgets}
    t_start = time.time()
    for seed in range(args.seeds):
        xtr, xte, ytr, yte = train_test_split(x_all, y_all, test_size=0.5, stratify=y_all, random_state=1000 + seed)
        if args.scaling == 'minmax':  # [0, 1] with the training half's min and max (a constant column becomes 0)
            shift, scale = xtr.min(0), xtr.max(0) - xtr.min(0)
        else:  # z-scores with the training half's mean and population sd (1 for a constant column)
            shift, scale = xtr.mean(0), xtr.std(0)
        scale = np.where(scale > 0, scale, 1.0)
        xtr, xte = ((xtr - shift) / scale).astype(np.float32), ((xte - shift) / scale).astype(np.float32)
        counts = np.bincount(ytr, minlength=7)
        xtr_t, ytr_t, xte_t = torch.tensor(xtr), torch.tensor(ytr), torch.tensor(xte)
        for m in methods:
            torch.manual_seed(seed)
            model = torch.nn.Sequential(torch.nn.Linear(9, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 7))
            opt = torch.optim.Adam(model.parameters(), lr=1e-3)
            f = loss_fn(m, counts)
            g = torch.Generator().manual_seed(seed)
            for epoch in range(1, max(budgets) + 1):
                perm = torch.randperm(len(ytr_t), generator=g)
                for s in range(0, len(perm), args.batch):
                    b = perm[s:s + args.batch]
                    opt.zero_grad()
                    f(model(xtr_t[b]), ytr_t[b]).backward()
                    opt.step()
                if epoch in budgets:
                    with torch.no_grad():
                        probs = F.softmax(model(xte_t), 1).numpy().astype(np.float64)
                    pred = probs.argmax(1)
                    onehot = np.eye(7)[yte]
                    r = {
                        'macroF1': f1_score(yte, pred, average='macro', zero_division=0),
                        'perClassF1': f1_score(yte, pred, average=None, labels=list(range(7)), zero_division=0).tolist(),
                        'brier': float(((onehot - probs) ** 2).sum(1).mean()),
                        'ece': ece(probs, yte),
                    }
                    res[epoch][m].append(r)
                    print(f'seed {seed} {m:5s} epoch {epoch:3d}: macro F1 {r["macroF1"]:.4f}, Brier {r["brier"]:.5f}, ECE {r["ece"]:.4f}', flush=True)
    seconds = time.time() - t_start

    def ms(v, d, s=1):
        v = np.asarray(v) * s
        return f'{v.mean():.{d}f} ± {v.std(ddof=1):.{d}f}' if len(v) > 1 else f'{v.mean():.{d}f}'
    lines = []
    for b in budgets:
        lines.append(f'\n**PyTorch reference, after {b} epochs** (macro F1 and per-class F1 in %):\n')
        lines.append('| loss | macro F1 | Brier (eq. 19) | ECE (15 bins) | ' + ' | '.join(f'F1 {c}' for c in CLASSES) + ' |')
        lines.append('|' + '---|' * (4 + len(CLASSES)))
        for m in methods:
            rs = res[b][m]
            per = np.mean([r['perClassF1'] for r in rs], 0) * 100
            lines.append(f'| {m} | {ms([r["macroF1"] for r in rs], 2, 100)} | {ms([r["brier"] for r in rs], 4)} | {ms([r["ece"] for r in rs], 4)} | '
                         + ' | '.join(f'{v:.1f}' for v in per) + ' |')
    lines.append(f'\nCommand: `/usr/bin/python3 scripts/repro/torch_dwb_shuttle.py --seeds {args.seeds} --budgets {args.budgets} --methods {args.methods} --scaling {args.scaling}`; '
                 f'torch {torch.__version__}, 1 thread; {seconds / 60:.1f} min.')
    print('\n'.join(lines))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as fh:
        json.dump({'command': lines[-1], 'seconds': seconds, 'settings': vars(args), 'results': res, 'markdown': '\n'.join(lines)}, fh, indent=1)


if __name__ == '__main__':
    main()
