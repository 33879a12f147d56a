"""DDPM on Fashion-MNIST in PyTorch with UNet-S: the same recipe as diffusion4j's
experiments/configs/ddpm-fashion-mnist-10min.yaml, trained for a fixed wall-clock budget, then sampled.

Recipe (Ho et al. 2020, "Denoising Diffusion Probabilistic Models"), every number matching the Java config:
  - epsilon objective: t ~ U{0..T-1}, eps ~ N(0, I), x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps,
    loss = mean over all elements of (eps_theta(x_t, t) - eps)^2 (Ho et al. eq. 14, "L_simple");
  - linear betas 1e-4..0.02 over T = 1000 (computed in float64, as the Java schedule is);
  - UNet-S (unet_s.py, 6,469,889 parameters), dropout 0.1, time input the integer index t;
  - data: the 60,000 training images scaled x / 127.5 - 1 to [-1, 1], random horizontal flips (p = 1/2),
    batch 128, epochs of random permutations;
  - AdamW lr 2e-4, betas (0.9, 0.999), eps 1e-8, weight decay 0, linear warmup lr (s + 1) / 500 for the
    0-based step s < 500; global gradient-norm clipping to 1.0;
  - EMA of the weights with decay 0.999 and warmup: the n-th update (1-based) uses min(0.999, (1 + n) / (10 + n)),
    the average starting at the initial weights (diffusion4j's Ema with warmup=true). Why not DDPM's plain 0.9999:
    the EMA remembers ~1/(1-d) steps; a short run takes a few thousand steps (ours) to ~10^4 (PyTorch), and the
    plain average would still hold 0.9999^2000 = 82% (0.999^2000 = 14%) of the random initial weights.
Sampling, from the EMA weights in eval mode (no dropout), as diffusion4j's samplers do it on a trained run:
  - ddpm: ancestral sampling (Ho et al. Algorithm 2) with the posterior variance beta-tilde, no noise on the
    last step; with S < T steps the timesteps are respaced (Nichol & Dhariwal 2021) as below;
  - ddim: Song et al. 2021 eq. 12 with eta = 0;
  - timesteps "trailing" (Lin et al. 2023, Table 2): 0-based round(T - k T / S) - 1, k = S-1..0, i.e. 999, 979,
    ..., 19 for S = 50 and all of 999..0 for S = 1000; the last move goes to x_0 (alpha-bar 1);
  - the model's x_0 estimate is NOT clipped during sampling (neither side does); the final samples are clamped
    to [-1, 1] when written, and the fraction of pixels that needed it is reported.
Differences that are not part of the recipe: PyTorch checks the loss for NaN every --log-every steps (a host
sync), diffusion4j every step; random streams differ (torch's generators vs Philox), so the two runs are
statistically, not bitwise, comparable.

Outputs in --out (default runs/pytorch-ddpm): recipe.json, metrics.jsonl (step, loss, lr, grad_norm, time),
checkpoints/step-NNNNNNNNN.pt (model, EMA, optimizer, step; written to a temporary file then renamed; the last
2 kept), train.json (steps reached, seconds, steps/s, device, versions, TF32), and per sampler
samples-<sampler><steps>.npy (N, 1, 28, 28) float32 in [-1, 1], a PNG grid of the first 64, and
samples-<sampler><steps>.json (N, NFE, seconds, samples/s, fraction clamped).

Usage (GPU machine):
  python3 benchmarks/pytorch/train_ddpm.py --minutes 9 --no-sample --out runs/pytorch-ddpm
  python3 benchmarks/pytorch/train_ddpm.py --sample-only runs/pytorch-ddpm/checkpoints/LAST --out runs/pytorch-ddpm \
      --samplers ddim:50,ddpm:1000 --n 5000
(--sample-only LAST means the newest checkpoint in --out.) Sampling writes a partial .npy after every batch of
--sample-batch images, and a rerun with the same arguments continues from it, so a command stopped at its time
limit loses at most one batch. TF32 is off unless --tf32 is given.
"""
import argparse
import gzip
import json
import math
import os
import struct
import sys
import time
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

# The recipe; every value mirrors experiments/configs/ddpm-fashion-mnist-10min.yaml (a change there must be made here).
RECIPE = {
    "objective": "eps", "schedule": "linear", "timesteps": 1000, "betaStart": 1.0e-4, "betaEnd": 0.02,
    "model": "unet-s", "channels": 64, "multipliers": [1, 2, 2], "attentionLevels": [1], "resBlocks": 2, "dropout": 0.1,
    "flip": True, "batchSize": 128, "lr": 2.0e-4, "beta1": 0.9, "beta2": 0.999, "eps": 1.0e-8, "weightDecay": 0.0,
    "warmupSteps": 500, "gradClip": 1.0, "emaDecay": 0.999, "emaWarmup": True,
    "sampling": {"ddpm": {"variance": "beta-tilde", "spacing": "trailing"}, "ddim": {"eta": 0.0, "spacing": "trailing"},
                 "x0Clipping": False, "finalClamp": [-1.0, 1.0]},
}


# ----------------------------------------------------------------------------------------------- data

def read_idx(path):
    """An IDX file (LeCun's MNIST format, gzipped or not) as a numpy array of unsigned bytes."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file (magic {zero:#x}, type {dtype_code:#x}); expected 0x0000, 0x08")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    body = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if body.size != int(np.prod(dims)):
        raise ValueError(f"{path}: {body.size} bytes of data for dimensions {dims}")
    return body.reshape(dims)


def data_folder(explicit):
    """--data, else $D4J_DATA/fashion-mnist (or $D4J_DATA itself), else Debian's dataset-fashion-mnist folder."""
    if explicit:
        return explicit
    env = os.environ.get("D4J_DATA")
    if env:
        sub = os.path.join(env, "fashion-mnist")
        return sub if os.path.isdir(sub) else env
    return "/usr/share/datasets/fashion-mnist"


def load_train_images(folder):
    for name in ("train-images-idx3-ubyte.gz", "train-images-idx3-ubyte"):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            images = read_idx(path)
            if images.shape != (60000, 28, 28):
                raise ValueError(f"{path}: shape {images.shape}, expected (60000, 28, 28)")
            return images
    raise FileNotFoundError(f"train-images-idx3-ubyte(.gz) not found in {folder}; give --data or set D4J_DATA")


# ----------------------------------------------------------------------------------------------- schedule

def linear_alpha_bars(T, beta_start, beta_end):
    """alpha-bar_t = prod_{s<=t} (1 - beta_s), betas linear from beta_start to beta_end (Ho et al. Sec. 4), float64."""
    betas = np.linspace(beta_start, beta_end, T, dtype=np.float64)
    return np.cumprod(1.0 - betas)


def trailing_timesteps(T, S):
    """0-based timesteps in sampling order: round(T - k T / S) - 1 for k = 0..S-1, descending (Lin et al. 2023)."""
    if not 1 <= S <= T:
        raise ValueError(f"sampler steps must be in [1, {T}], got {S}")
    ascending = [int(math.floor(T - (S - 1 - k) * T / S + 0.5)) - 1 for k in range(S)]  # Java's Math.round
    return ascending[::-1]


# ----------------------------------------------------------------------------------------------- samplers

def sample_batch(model, alpha_bars, sampler, steps, noise_gen, n, device):
    """One batch of n samples; returns (samples [n,1,28,28] float32 unclamped, NFE)."""
    import torch
    x = torch.randn(n, 1, 28, 28, generator=noise_gen, device=device)
    ts = trailing_timesteps(len(alpha_bars), steps)
    for k, i in enumerate(ts):
        prev = ts[k + 1] if k + 1 < len(ts) else -1
        ab, ab_prev = float(alpha_bars[i]), (float(alpha_bars[prev]) if prev >= 0 else 1.0)
        t = torch.full((n,), i, device=device, dtype=torch.long)
        eps = model(x, t)
        x0 = (x - math.sqrt(1 - ab) * eps) / math.sqrt(ab)
        if sampler == "ddim":
            # eta = 0: x_prev = sqrt(abar_prev) x0 + sqrt(1 - abar_prev) eps (Song et al. 2021, eq. 12)
            x = math.sqrt(ab_prev) * x0 + math.sqrt(1 - ab_prev) * eps
        else:
            # posterior q(x_prev | x_t, x0) with the respaced beta = 1 - abar_t / abar_prev (Ho et al. eq. 7)
            beta = 1 - ab / ab_prev
            c0 = math.sqrt(ab_prev) * beta / (1 - ab)
            ct = math.sqrt(1 - beta) * (1 - ab_prev) / (1 - ab)
            x = c0 * x0 + ct * x
            if prev >= 0:
                beta_tilde = beta * (1 - ab_prev) / (1 - ab)
                x = x + math.sqrt(beta_tilde) * torch.randn(x.shape, generator=noise_gen, device=device)
    return x, len(ts)


def write_png_grid(path, images, columns=8):
    """A grayscale PNG of images [n, 28, 28] in [-1, 1], written with zlib alone (no PIL)."""
    n = min(len(images), columns * columns)
    rows = (n + columns - 1) // columns
    pad = 2
    h, w = rows * (28 + pad) + pad, columns * (28 + pad) + pad
    canvas = np.zeros((h, w), dtype=np.uint8)
    for k in range(n):
        r, c = divmod(k, columns)
        pixels = np.clip(np.rint((images[k] + 1) * 127.5), 0, 255).astype(np.uint8)
        canvas[pad + r * (28 + pad):pad + r * (28 + pad) + 28, pad + c * (28 + pad):pad + c * (28 + pad) + 28] = pixels
    raw = b"".join(b"\x00" + canvas[y].tobytes() for y in range(h))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def sample_to_files(model, alpha_bars, sampler, steps, n, batch, seed, out, device):
    """Samples n images in batches, saving a partial .npy after each so that a rerun continues; writes npy, png, json."""
    import torch
    stem = os.path.join(out, f"samples-{sampler}{steps}")
    partial = stem + ".partial.npy"
    done = np.load(partial) if os.path.exists(partial) else np.zeros((0, 1, 28, 28), dtype=np.float32)
    if len(done):
        print(f"{sampler} {steps}: continuing from {len(done)} samples in {partial}", flush=True)
    meta_path = stem + ".partial.json"
    meta = json.load(open(meta_path)) if os.path.exists(meta_path) else {"seconds": 0.0, "outside": 0}
    nfe = len(trailing_timesteps(len(alpha_bars), steps))  # one network evaluation per step
    while len(done) < n:
        b = min(batch, n - len(done))
        index = len(done) // batch  # batch k always draws from generator seed (seed, k): reruns do not repeat noise
        gen = torch.Generator(device=device)
        gen.manual_seed(seed * 1_000_003 + index)
        torch.cuda.synchronize(device) if device.type == "cuda" else None
        t0 = time.perf_counter()
        with torch.no_grad():
            x, _ = sample_batch(model, alpha_bars, sampler, steps, gen, b, device)
        x = x.float().cpu().numpy()
        meta["seconds"] += time.perf_counter() - t0
        meta["outside"] += int(np.count_nonzero(np.abs(x) > 1))
        done = np.concatenate([done, np.clip(x, -1, 1).astype(np.float32)])
        np.save(partial + ".tmp.npy", done)
        os.replace(partial + ".tmp.npy", partial)
        json.dump(meta, open(meta_path, "w"))
        print(f"{sampler} {steps}: {len(done)}/{n} samples, {meta['seconds']:.1f} s", flush=True)
    os.replace(partial, stem + ".npy")
    os.remove(meta_path)
    write_png_grid(stem + ".png", done[:64, 0])
    info = {"sampler": sampler, "steps": steps, "nfe": nfe, "n": n, "batch": batch, "seed": seed,
            "seconds": meta["seconds"], "samples_per_s": n / meta["seconds"],
            "fraction_clamped": meta["outside"] / done.size, "file": stem + ".npy"}
    json.dump(info, open(stem + ".json", "w"), indent=1)
    print(json.dumps(info), flush=True)


# ----------------------------------------------------------------------------------------------- training

def save_checkpoint(out, step, model, ema, opt, keep=2):
    import torch
    folder = os.path.join(out, "checkpoints")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"step-{step:09d}.pt")
    torch.save({"step": step, "model": model.state_dict(), "ema": ema, "optimizer": opt.state_dict(), "recipe": RECIPE},
               path + ".tmp")
    os.replace(path + ".tmp", path)
    for old in sorted(f for f in os.listdir(folder) if f.endswith(".pt"))[:-keep]:
        os.remove(os.path.join(folder, old))
    return path


def newest_checkpoint(out):
    folder = os.path.join(out, "checkpoints")
    names = sorted(f for f in os.listdir(folder) if f.endswith(".pt")) if os.path.isdir(folder) else []
    if not names:
        raise FileNotFoundError(f"no checkpoint step-*.pt in {folder}")
    return os.path.join(folder, names[-1])


def train(args, model, device):
    import torch
    import torch.nn.functional as F
    r = RECIPE
    images = torch.from_numpy(load_train_images(data_folder(args.data)).copy()).to(device)  # uint8 on the device
    alpha_bars = torch.tensor(linear_alpha_bars(r["timesteps"], r["betaStart"], r["betaEnd"]), dtype=torch.float32, device=device)
    params = [p for p in model.parameters()]
    opt = torch.optim.AdamW(params, lr=r["lr"], betas=(r["beta1"], r["beta2"]), eps=r["eps"], weight_decay=r["weightDecay"])
    ema = [p.detach().clone() for p in params]
    gen = torch.Generator(device=device)
    gen.manual_seed(args.seed)
    cpu_gen = torch.Generator()
    cpu_gen.manual_seed(args.seed)
    model.train()
    metrics = open(os.path.join(args.out, "metrics.jsonl"), "w")
    budget = args.minutes * 60.0
    order, cursor = torch.randperm(60000, generator=cpu_gen).to(device), 0
    step, last = 0, None
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    t0 = time.perf_counter()
    while True:
        if cursor + r["batchSize"] > 60000:  # a new epoch; the tail of the old one is dropped
            order, cursor = torch.randperm(60000, generator=cpu_gen).to(device), 0
        idx = order[cursor:cursor + r["batchSize"]]
        cursor += r["batchSize"]
        x0 = images[idx].float().div_(127.5).sub_(1.0).unsqueeze(1)
        flip = torch.rand(x0.shape[0], 1, 1, 1, generator=gen, device=device) < 0.5
        x0 = torch.where(flip, x0.flip(-1), x0)
        t = torch.randint(0, r["timesteps"], (x0.shape[0],), generator=gen, device=device)
        noise = torch.randn(x0.shape, generator=gen, device=device)
        ab = alpha_bars[t].view(-1, 1, 1, 1)
        xt = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
        lr = r["lr"] * (step + 1) / r["warmupSteps"] if step < r["warmupSteps"] else r["lr"]
        for group in opt.param_groups:
            group["lr"] = lr
        loss = F.mse_loss(model(xt, t), noise)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        grad_norm = torch.nn.utils.clip_grad_norm_(params, r["gradClip"])
        opt.step()
        step += 1
        decay = min(r["emaDecay"], (1 + step) / (10 + step)) if r["emaWarmup"] else r["emaDecay"]  # step = update n
        with torch.no_grad():
            torch._foreach_lerp_(ema, [p.detach() for p in params], 1.0 - decay)  # ema += (1-d)(p - ema)
        elapsed = time.perf_counter() - t0
        out_of_time = elapsed >= budget or (args.max_steps and step >= args.max_steps)
        if step % args.log_every == 0 or out_of_time:
            loss_value = loss.item()  # host sync
            if not math.isfinite(loss_value):
                raise SystemExit(f"loss is {loss_value} at step {step}; last checkpoint {last}")
            metrics.write(json.dumps({"step": step, "loss": loss_value, "lr": lr, "grad_norm": float(grad_norm),
                                      "time": time.perf_counter() - t0}) + "\n")
            metrics.flush()
            print(f"step {step} loss {loss_value:.5f} lr {lr:.2e} {step / (time.perf_counter() - t0):.2f} steps/s", flush=True)
        if step % args.checkpoint_every == 0 or out_of_time:
            last = save_checkpoint(args.out, step, model, ema, opt)
        if out_of_time:
            break
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    seconds = time.perf_counter() - t0
    info = {"steps": step, "seconds": seconds, "steps_per_s": step / seconds, "minutes_budget": args.minutes,
            "checkpoint": last, "tf32": args.tf32, "cudnn_benchmark": args.cudnn_benchmark, "seed": args.seed, "device": device_name(device),
            "torch": torch.__version__, "final_loss": loss.item()}
    json.dump(info, open(os.path.join(args.out, "train.json"), "w"), indent=1)
    print(json.dumps(info), flush=True)
    return ema


def device_name(device):
    import torch
    return torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default="runs/pytorch-ddpm", help="output folder (default %(default)s)")
    p.add_argument("--data", help="folder of the Fashion-MNIST IDX files (default $D4J_DATA/fashion-mnist)")
    p.add_argument("--minutes", type=float, default=10.0, help="wall-clock training budget in minutes (default %(default)s)")
    p.add_argument("--max-steps", type=int, default=0, help="also stop after this many steps (0: no limit; for dry runs)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--tf32", action="store_true", help="allow TF32 in matmuls and convolutions (default: strict FP32)")
    p.add_argument("--cudnn-benchmark", action="store_true", help="let cuDNN time its algorithms and pick the fastest "
                   "(default off: cuDNN's heuristics; recorded in train.json)")
    p.add_argument("--log-every", type=int, default=100)
    p.add_argument("--checkpoint-every", type=int, default=2000)
    p.add_argument("--no-sample", action="store_true", help="train only")
    p.add_argument("--sample-only", metavar="CHECKPOINT", help="skip training; sample the EMA weights of CHECKPOINT "
                   "('LAST': the newest in --out/checkpoints)")
    p.add_argument("--samplers", default="ddim:50,ddpm:1000", help="NAME:STEPS,... with NAME ddpm or ddim (default %(default)s)")
    p.add_argument("--n", type=int, default=5000, help="samples per sampler (default %(default)s)")
    p.add_argument("--sample-batch", type=int, default=1000, help="images per sampling batch (default %(default)s)")
    p.add_argument("--sample-seed", type=int, default=1, help="seed of the sampling noise (default %(default)s)")
    p.add_argument("--device", default="cuda" if _cuda_available() else "cpu")
    args = p.parse_args()
    samplers = []
    for item in args.samplers.split(","):
        name, _, steps = item.partition(":")
        if name not in ("ddpm", "ddim") or not steps.isdigit():
            p.error(f"--samplers: '{item}' is not NAME:STEPS with NAME ddpm or ddim")
        samplers.append((name, int(steps)))
    if args.minutes <= 0:
        p.error(f"--minutes must be positive, got {args.minutes}")

    import torch
    from unet_s import UNetS
    torch.backends.cuda.matmul.allow_tf32 = args.tf32
    torch.backends.cudnn.allow_tf32 = args.tf32
    torch.backends.cudnn.benchmark = args.cudnn_benchmark
    torch.manual_seed(args.seed)  # the initial weights (PyTorch's default initialisation, as DESIGN.md says)
    device = torch.device(args.device)
    os.makedirs(args.out, exist_ok=True)
    json.dump(RECIPE, open(os.path.join(args.out, "recipe.json"), "w"), indent=1)
    model = UNetS(in_channels=1, ch=RECIPE["channels"], mult=tuple(RECIPE["multipliers"]),
                  attn_levels=tuple(RECIPE["attentionLevels"]), dropout=RECIPE["dropout"], num_res=RECIPE["resBlocks"]).to(device)
    print(f"UNet-S: {sum(q.numel() for q in model.parameters()):,} parameters on {device_name(device)}, "
          f"torch {torch.__version__}, TF32 {'on' if args.tf32 else 'off'}", flush=True)
    if args.sample_only:
        path = newest_checkpoint(args.out) if args.sample_only == "LAST" else args.sample_only
        state = torch.load(path, map_location=device, weights_only=False)  # our own file: optimizer state included
        ema = state["ema"]
        print(f"sampling the EMA weights of {path} (step {state['step']})", flush=True)
    else:
        ema = train(args, model, device)
        if args.no_sample:
            return
    with torch.no_grad():
        for p_, e in zip(model.parameters(), ema):
            p_.copy_(e)
    model.eval()
    alpha_bars = linear_alpha_bars(RECIPE["timesteps"], RECIPE["betaStart"], RECIPE["betaEnd"])
    for name, steps in samplers:
        sample_to_files(model, alpha_bars, name, steps, args.n, args.sample_batch, args.sample_seed, args.out, device)


def _cuda_available():
    try:
        import torch
        return torch.cuda.is_available()
    except ImportError:
        return False


if __name__ == "__main__":
    main()
