"""Peer timing for bench/smote.ts: imbalanced-learn's SMOTE on the same data.

argv[1] is JSON {"x": path, "y": path, "n": rows, "d": features, "k": 5, "repeats": 5}:
x is float32 row-major, y int32. Prints one JSON line with the median seconds
of SMOTE(k_neighbors=k, random_state=0).fit_resample(X, y) (after one warm-up
run) and the resampled class counts.
"""
import json
import sys
import time

import numpy as np
import imblearn
from imblearn.over_sampling import SMOTE

args = json.loads(sys.argv[1])
n, d = args['n'], args['d']
X = np.fromfile(args['x'], dtype=np.float32).reshape(n, d)
y = np.fromfile(args['y'], dtype=np.int32)
times = []
counts = None
for r in range(args.get('repeats', 5) + 1):
    t0 = time.perf_counter()
    _, yr = SMOTE(k_neighbors=args['k'], random_state=0).fit_resample(X, y)
    dt = time.perf_counter() - t0
    if r > 0:
        times.append(dt)
    counts = np.bincount(yr).tolist()
times.sort()
print(json.dumps({'seconds': times[len(times) // 2], 'all': times, 'counts': counts, 'imblearn': imblearn.__version__}))
