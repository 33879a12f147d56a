"""Joins sample files (.npy, (N,1,28,28) or (N,784)) into one float32 (N,1,28,28) file clamped to [-1, 1], and
reports the fraction of pixels that needed the clamp: the same final step train_ddpm.py applies to PyTorch's
samples, applied here to diffusion4j's (whose `d4j sample --npy` writes the sampler's raw float64 output).
numpy only.

  python3 benchmarks/pytorch/collect_samples.py OUT.npy IN1.npy [IN2.npy ...]
  python3 benchmarks/pytorch/collect_samples.py --check-recipe RUN/config.json PYTORCH_OUT/recipe.json

  python3 benchmarks/pytorch/collect_samples.py --train-subset OUT.npy N SEED [DATA_FOLDER]

--train-subset writes N training images (a subset drawn with numpy's default_rng(SEED), without replacement),
scaled x / 127.5 - 1, as a float32 (N,1,28,28) file: scored with `d4j eval --npy` exactly as the samples are
(same reference set, same N), it is what a perfect model scores.
--check-recipe compares a diffusion4j run's resolved config with train_ddpm.py's recipe and fails (exit 1)
naming every value that differs.
"""
import json
import sys

import numpy as np


def collect(out, inputs):
    parts = []
    for path in inputs:
        a = np.load(path)
        if a.ndim == 2 and a.shape[1] == 784:
            a = a.reshape(-1, 1, 28, 28)
        if a.ndim != 4 or a.shape[1:] != (1, 28, 28):
            raise SystemExit(f"{path}: shape {a.shape}, expected (N, 1, 28, 28) or (N, 784)")
        if not np.all(np.isfinite(a)):
            raise SystemExit(f"{path}: holds non-finite values")
        parts.append(a)
    x = np.concatenate(parts)
    outside = int(np.count_nonzero(np.abs(x) > 1))
    np.save(out, np.clip(x, -1, 1).astype(np.float32))
    print(json.dumps({"file": out, "n": len(x), "inputs": inputs, "fraction_clamped": outside / x.size}))


# (Java config path, recipe key) pairs that must agree
PAIRS = [
    ("diffusion.objective", "objective"), ("diffusion.schedule", "schedule"), ("diffusion.timesteps", "timesteps"),
    ("diffusion.betaStart", "betaStart"), ("diffusion.betaEnd", "betaEnd"), ("model.type", "model"),
    ("model.channels", "channels"), ("model.multipliers", "multipliers"), ("model.attentionLevels", "attentionLevels"),
    ("model.resBlocks", "resBlocks"), ("model.dropout", "dropout"), ("data.flip", "flip"),
    ("training.batchSize", "batchSize"), ("optimizer.lr", "lr"), ("optimizer.beta1", "beta1"), ("optimizer.beta2", "beta2"),
    ("optimizer.eps", "eps"), ("optimizer.weightDecay", "weightDecay"), ("optimizer.warmupSteps", "warmupSteps"),
    ("training.gradClip", "gradClip"), ("training.emaDecay", "emaDecay"), ("training.emaWarmup", "emaWarmup"),
]


def check_recipe(config_path, recipe_path):
    config, recipe = json.load(open(config_path)), json.load(open(recipe_path))
    bad = []
    for dotted, key in PAIRS:
        v = config
        for part in dotted.split("."):
            v = v.get(part) if isinstance(v, dict) else None
        if v != recipe.get(key):
            bad.append(f"{dotted} = {v!r} in {config_path}, but {key} = {recipe.get(key)!r} in {recipe_path}")
    if bad:
        raise SystemExit("recipes differ:\n  " + "\n  ".join(bad))
    print(f"recipes agree on {len(PAIRS)} values")


def train_subset(out, n, seed, folder=None):
    import os
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from train_ddpm import data_folder, load_train_images  # the numpy-only IDX reader
    images = load_train_images(data_folder(folder))
    pick = np.random.default_rng(seed).choice(len(images), size=n, replace=False)
    np.save(out, (images[pick].astype(np.float32) / 127.5 - 1).reshape(n, 1, 28, 28))
    print(json.dumps({"file": out, "n": n, "seed": seed, "source": "training split"}))


if __name__ == "__main__":
    if len(sys.argv) in (5, 6) and sys.argv[1] == "--train-subset":
        train_subset(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] if len(sys.argv) == 6 else None)
    elif len(sys.argv) == 4 and sys.argv[1] == "--check-recipe":
        check_recipe(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 3 and not sys.argv[1].startswith("-"):
        collect(sys.argv[1], sys.argv[2:])
    else:
        raise SystemExit(__doc__)
