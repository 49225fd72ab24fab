#!/usr/bin/python3
"""Peer timing for bench/metrics.ts (b): scikit-learn's one-vs-rest macro AUROC and a
vectorised numpy top-label ECE (scikit-learn has no ECE, #18268) on the same predictions.

Called by bench/metrics.ts through runPython with JSON on argv[1]:
    {"probs": "<path of N*C float32 little-endian, row-major>",
     "labels": "<path of N int32 little-endian>", "n": N, "c": C, "bins": 15, "repeats": 3}
Prints one JSON object: median seconds of each step and the values (for a consistency check).
Run with Debian's /usr/bin/python3 (scikit-learn 1.2.1).
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.metrics import roc_auc_score


def ece_numpy(P, y, bins):
    conf = P.max(axis=1).astype(np.float64)
    correct = (P.argmax(axis=1) == y).astype(np.float64)
    b = np.searchsorted(np.arange(1, bins) / bins, conf, side='left')
    count = np.bincount(b, minlength=bins)
    gap = np.abs(np.bincount(b, weights=correct, minlength=bins) - np.bincount(b, weights=conf, minlength=bins))
    return float(gap.sum() / len(y)), int(count.sum())


def median_seconds(fn, repeats):
    times = []
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2], out


def main():
    args = json.loads(sys.argv[1])
    n, c = args['n'], args['c']
    P = np.fromfile(args['probs'], dtype='<f4').reshape(n, c)
    y = np.fromfile(args['labels'], dtype='<i4')
    repeats = args.get('repeats', 3)
    t_auc, auc = median_seconds(lambda: roc_auc_score(y, P, multi_class='ovr', average='macro'), repeats)
    t_ece, (ece, _) = median_seconds(lambda: ece_numpy(P, y, args.get('bins', 15)), repeats)
    print(json.dumps({'sklearn': sklearn.__version__, 'aurocSeconds': t_auc, 'auroc': float(auc),
                      'eceSeconds': t_ece, 'ece': ece}))


if __name__ == '__main__':
    main()
