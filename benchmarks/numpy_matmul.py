#!/usr/bin/env python3
"""NumPy float32 matrix product at the sizes of CpuMatmulBenchmark, for benchmarks/RESULTS.md.

    python3 benchmarks/numpy_matmul.py                 # n = 256, 512, 1024
    python3 benchmarks/numpy_matmul.py --sizes 1024 --repeats 20

Each size: inputs uniform in [-1, 1) from a fixed seed, a few warm-up products, then the best (shortest)
of --repeats timed products of `a @ b` (which allocates its output, as Tensor.matmul does). One product
costs 2 n^3 flops; GFLOP/s = 2 n^3 / best time. The BLAS NumPy links to, and its thread count, decide the
speed: both are printed, so a table can say what it measured.
"""
import argparse
import os
import platform
import time

import numpy as np


def blas_name():
    """The BLAS library NumPy was built against, as far as NumPy tells."""
    try:
        config = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        return f'{blas.get("name", "?")} {blas.get("version", "")}'.strip()
    except Exception:  # older NumPy: no dict mode
        return "unknown (see numpy.show_config())"


def best_seconds(a, b, repeats, warmups):
    for _ in range(warmups):
        a @ b
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - start)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[256, 512, 1024])
    parser.add_argument("--repeats", type=int, default=10, help="timed products per size (the best counts)")
    parser.add_argument("--warmups", type=int, default=3)
    args = parser.parse_args()
    if args.repeats < 1 or any(n < 1 for n in args.sizes):
        parser.error(f"--repeats and --sizes must be >= 1, got {args.repeats} and {args.sizes}")

    print(f"numpy {np.__version__}, BLAS {blas_name()}, python {platform.python_version()}, "
          f"{os.cpu_count()} CPU threads, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}")
    print(f"{'n':>6} {'best ms':>10} {'GFLOP/s':>10}")
    rng = np.random.default_rng(1)
    for n in args.sizes:
        a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
        b = rng.uniform(-1, 1, (n, n)).astype(np.float32)
        seconds = best_seconds(a, b, args.repeats, args.warmups)
        print(f"{n:>6} {seconds * 1e3:>10.3f} {2 * n ** 3 / seconds / 1e9:>10.2f}")


if __name__ == "__main__":
    main()
