#!/usr/bin/python3
"""Peer for bench/scale-metrics.ts: one metric over the first n rows of a prediction file,
timed in a fresh process so that its peak RSS is its own.

Called through runPython with JSON on argv[1]:
    {"probs": "<path of rows x c float32 little-endian, row-major>",
     "labels": "<path of int32 little-endian labels>", "n": n, "c": c,
     "metric": "ece" | "auroc" | "gmean" | "f1", "bins": 15, "repeats": 1}
The data are read whole (scikit-learn needs them in memory; that is part of its peak RSS,
reported separately as dataBytes), one untimed warm-up call runs on the first 1000 rows,
then the metric is timed `repeats` times (median).
Prints one JSON object: seconds, value, peakRssBytes (ru_maxrss), dataBytes, versions.
Run with Debian's /usr/bin/python3 (scikit-learn 1.2.1, imbalanced-learn 0.10.0).
"""
import json
import os
import resource
import sys
import time

import numpy as np
import sklearn
import imblearn
from imblearn.metrics import geometric_mean_score
from sklearn.metrics import f1_score, roc_auc_score

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from metrics_sklearn import ece_numpy  # noqa: E402  (the numpy ECE of bench/metrics.ts)


def metric_fn(name, bins):
    if name == 'ece':
        return lambda P, y: ece_numpy(P, y, bins)[0]
    if name == 'auroc':
        return lambda P, y: roc_auc_score(y, P, multi_class='ovr', average='macro')
    if name == 'gmean':
        return lambda P, y: geometric_mean_score(y, P.argmax(axis=1), average='multiclass')
    if name == 'f1':
        return lambda P, y: f1_score(y, P.argmax(axis=1), average='macro')
    raise ValueError(name)


def main():
    args = json.loads(sys.argv[1])
    n, c = args['n'], args['c']
    P = np.fromfile(args['probs'], dtype='<f4', count=n * c).reshape(n, c)
    y = np.fromfile(args['labels'], dtype='<i4', count=n)
    fn = metric_fn(args['metric'], args.get('bins', 15))
    if len(np.unique(y[:1000])) == c:
        fn(P[:1000], y[:1000])  # warm-up (OvR AUROC needs every class present)
    times = []
    value = None
    for _ in range(args.get('repeats', 1)):
        t0 = time.perf_counter()
        value = fn(P, y)
        times.append(time.perf_counter() - t0)
    times.sort()
    print(json.dumps({
        'seconds': times[len(times) // 2], 'value': float(value),
        'peakRssBytes': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        'dataBytes': int(P.nbytes + y.nbytes),
        'versions': f'scikit-learn {sklearn.__version__}, imbalanced-learn {imblearn.__version__}, numpy {np.__version__}',
    }))


if __name__ == '__main__':
    main()
