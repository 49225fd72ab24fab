"""Peer timing for the SMOTE benches: imbalanced-learn's SMOTE on the same data.

argv[1] is JSON {"x": path, "y": path, "n": rows, "d": features, "k": 5,
"repeats": 5, "warmup": "full" | "small", "knn_only": false, "smote_only": false}: x is float32
row-major, y int32. Times SMOTE(k_neighbors=k, random_state=0).fit_resample(X, y)
after one warm-up run (its time reported as "first"; with "small", the warm-up
runs on 1000 rows per class instead) and, separately, the k-NN search
inside the smallest class as SMOTE runs it
(NearestNeighbors(n_neighbors=k + 1).fit(Xc).kneighbors(Xc)). Prints one JSON
line: median and all times, the resampled class counts, the versions, which
BLAS library numpy / scipy actually loaded, the OpenMP / BLAS thread counts
and the NearestNeighbors algorithm scikit-learn chose.

The time depends mostly on the BLAS (scikit-learn's brute-force k-NN is a
chunked GEMM through scipy's BLAS) and on the free cores (its chunks run on
OpenMP threads): run with LD_LIBRARY_PATH pointing at an OpenBLAS build of
libblas.so.3 to time what a pip install (whose wheels bundle OpenBLAS) gets.
"""
import json
import resource
import sys
import time

import numpy as np
import imblearn
import sklearn
from imblearn.over_sampling import SMOTE
from sklearn.neighbors import NearestNeighbors
from threadpoolctl import threadpool_info


def blas_library():
    """The BLAS shared objects mapped into this process (after numpy / scipy loaded them)."""
    found = set()
    with open('/proc/self/maps') as maps:
        for line in maps:
            path = line.split()[-1]
            base = path.rsplit('/', 1)[-1]
            if base.startswith('lib') and '.so' in base and ('blas' in base or 'mkl' in base):
                found.add(path)
    return sorted(found)


def describe_blas():
    libs = blas_library()
    pools = [{'api': p['internal_api'], 'threads': p['num_threads'], 'version': p.get('version')} for p in threadpool_info()]
    kind = 'OpenBLAS' if any('openblas' in p for p in libs) else ('MKL' if any('mkl' in p for p in libs) else 'reference BLAS (netlib)')
    return {'kind': kind, 'libraries': libs, 'threadpools': pools}


def timed(fn, repeats, warmup=None):
    """(last output, time of the warm-up call or None, times of `repeats` calls); `warmup` replaces the first call."""
    t0 = time.perf_counter()
    out = warmup() if warmup else fn()
    first = None if warmup else time.perf_counter() - t0
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return out, first, times


def median(v):
    s = sorted(v)
    return s[len(s) // 2]


def main():
    args = json.loads(sys.argv[1])
    n, d, k = args['n'], args['d'], args['k']
    repeats = args.get('repeats', 5)
    X = np.fromfile(args['x'], dtype=np.float32).reshape(n, d)
    y = np.fromfile(args['y'], dtype=np.int32)
    counts = np.bincount(y)
    minority = X[y == int(np.argmin(counts))]
    base_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    small = args.get('warmup') == 'small'
    few = np.concatenate([np.flatnonzero(y == c)[:1000] for c in range(len(counts)) if counts[c] > 0])

    def smote(X_, y_):
        return SMOTE(k_neighbors=k, random_state=0).fit_resample(X_, y_)

    def knn(rows):
        return NearestNeighbors(n_neighbors=k + 1).fit(rows).kneighbors(rows, return_distance=False)

    result = {'base_rss_mb': base_rss_mb}
    if not args.get('knn_only'):
        (_, yr), first, times = timed(lambda: smote(X, y), repeats, (lambda: smote(X[few], y[few])) if small else None)
        result.update({'seconds': median(times), 'all': times, 'first': first, 'counts': np.bincount(yr).tolist()})
    if not args.get('smote_only'):
        _, knn_first, knn_times = timed(lambda: knn(minority), repeats, (lambda: knn(minority[:1000])) if small else None)
        result.update({'knn_seconds': median(knn_times), 'knn_all': knn_times, 'knn_first': knn_first})
    result.update({
        'algorithm': NearestNeighbors(n_neighbors=k + 1).fit(minority)._fit_method,
        'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        'imblearn': imblearn.__version__, 'sklearn': sklearn.__version__, 'numpy': np.__version__,
        'blas': describe_blas(),
    })
    print(json.dumps(result))


main()
