"""The side-by-side workloads in PyTorch, on the same UNet-S (unet_s.UNetS) and the same shapes as diffusion4j's JMH
benchmarks in org.diffusion4j.benchmarks.sidebyside:

  forward_b1, forward_b128     one forward (no grad, eval mode)                         UNetSForwardBenchmark
  train_step_b128              forward, MSE to eps, backward, AdamW (lr 2e-4, wd 0.01)   UNetSTrainStepBenchmark
  ddim50_b1, ddim50_b128       deterministic DDIM, 50 trailing steps                    SamplingBenchmark ddim-50
  ddpm1000_b1, ddpm1000_b128   ancestral DDPM, all 1000 steps, beta-tilde variance      SamplingBenchmark ddpm-1000
  launch_overhead              one tiny elementwise add (16 floats), per op             LaunchOverheadBenchmark

in four modes: eager with TF32 off (strict FP32, as diffusion4j), eager with TF32 on, torch.compile and
torch.compile(mode="reduce-overhead") (CUDA graphs); the compiled modes run with TF32 off. Times come from CUDA
events around each repetition (after a synchronisation), in milliseconds; the JSON lists every repetition.

    python3 benchmarks/pytorch/sidebyside.py --json torch.json [--modes eager_fp32,compile] [--quick]
"""
import argparse
import json
import math
import os
import sys
import time

MODES = ["eager_fp32", "eager_tf32", "compile", "compile_reduce_overhead"]
# (warm-up repetitions, timed repetitions); --quick divides them
REPEATS = {
    "forward_b1": (20, 100), "forward_b128": (5, 30), "train_step_b128": (5, 20),
    "ddim50_b1": (1, 3), "ddim50_b128": (1, 3), "ddpm1000_b1": (0, 1), "ddpm1000_b128": (0, 1),
    "launch_overhead": (200, 2000),
}
T = 1000


def linear_schedule():
    """Betas linear from 1e-4 to 0.02 over T = 1000 (Ho et al. 2020); alpha-bar as Python floats (float64)."""
    betas = [1e-4 + (0.02 - 1e-4) * i / (T - 1) for i in range(T)]
    alpha_bar, prod = [], 1.0
    for b in betas:
        prod *= 1.0 - b
        alpha_bar.append(prod)
    return betas, alpha_bar


def trailing(steps):
    """Lin et al. 2023 "trailing" timesteps, 0-based, descending: round(T - k T/S) - 1 (as diffusion4j)."""
    return sorted((int(math.floor(T - k * T / steps + 0.5)) - 1 for k in range(steps)), reverse=True)


def ddim(model, x, timesteps, alpha_bar, torch):
    for k, i in enumerate(timesteps):
        ab = alpha_bar[i]
        ab_prev = alpha_bar[timesteps[k + 1]] if k + 1 < len(timesteps) else 1.0
        eps = model(x, torch.full((x.shape[0],), float(i), device=x.device))
        x0 = (x - (1 - ab) ** 0.5 * eps) / ab ** 0.5
        x = ab_prev ** 0.5 * x0 + (1 - ab_prev) ** 0.5 * eps
    return x


def ddpm(model, x, timesteps, alpha_bar, torch):
    """Ancestral sampling (Ho et al. 2020, Algorithm 2) with the posterior q(x_prev | x_t, x0-hat) and beta-tilde."""
    for k, i in enumerate(timesteps):
        ab = alpha_bar[i]
        ab_prev = alpha_bar[timesteps[k + 1]] if k + 1 < len(timesteps) else 1.0
        beta = 1 - ab / ab_prev
        eps = model(x, torch.full((x.shape[0],), float(i), device=x.device))
        x0 = (x - (1 - ab) ** 0.5 * eps) / ab ** 0.5
        mean = (ab_prev ** 0.5 * beta / (1 - ab)) * x0 + ((1 - beta) ** 0.5 * (1 - ab_prev) / (1 - ab)) * x
        if k + 1 < len(timesteps):
            x = mean + ((1 - ab_prev) / (1 - ab) * beta) ** 0.5 * torch.randn_like(x)
        else:
            x = mean
    return x


def time_cuda(fn, warmup, reps, torch):
    """Milliseconds of each timed repetition, from CUDA events, the device idle before each one."""
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    out = []
    for _ in range(reps):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        out.append(start.elapsed_time(end))
    return out


def run_mode(mode, workloads, quick, torch):
    from unet_s import UNetS

    tf32 = mode == "eager_tf32"
    torch.backends.cuda.matmul.allow_tf32 = tf32
    torch.backends.cudnn.allow_tf32 = tf32
    torch.set_float32_matmul_precision("high" if tf32 else "highest")
    torch.manual_seed(0)
    device = torch.device("cuda")
    base = UNetS(in_channels=1).to(device)
    if mode.startswith("compile"):
        compiled = torch.compile(base, mode="reduce-overhead" if mode.endswith("reduce_overhead") else None, dynamic=False)
    else:
        compiled = base
    _, alpha_bar = linear_schedule()
    results = {}

    def record(name, fn):
        warm, reps = REPEATS[name]
        if quick:
            warm, reps = min(warm, 1), max(1, reps // 10)
        began = time.time()
        try:
            times = time_cuda(fn, warm, reps, torch)
            results[name] = {"ms": sum(times) / len(times), "min_ms": min(times), "reps": times,
                             "wall_s_including_warmup": time.time() - began}
        except Exception as e:  # a mode that cannot run a workload says so in the JSON and on stderr
            print(f"sidebyside.py: {mode} {name} failed: {type(e).__name__}: {e}", file=sys.stderr)
            results[name] = {"error": f"{type(e).__name__}: {e}"}
        print(f"  {mode:24s} {name:16s} {results[name].get('ms', float('nan')):10.3f} ms", flush=True)

    inputs = {}
    for b in (1, 128):
        g = torch.Generator(device=device).manual_seed(b)
        inputs[b] = (torch.randn(b, 1, 28, 28, device=device, generator=g),
                     torch.tensor([(500 + 389 * i) % T for i in range(b)], device=device, dtype=torch.float32))
    base.eval()
    with torch.no_grad():
        for b in (1, 128):
            if f"forward_b{b}" in workloads:
                x, t = inputs[b]
                record(f"forward_b{b}", lambda: compiled(x, t))
        for steps, name, loop in ((50, "ddim50", ddim), (1000, "ddpm1000", ddpm)):
            for b in (1, 128):
                if f"{name}_b{b}" in workloads:
                    x = inputs[b][0]
                    record(f"{name}_b{b}", lambda: loop(compiled, x, trailing(steps), alpha_bar, torch))
        if "launch_overhead" in workloads and mode.startswith("eager"):
            a = torch.randn(16, device=device)
            out = torch.empty_like(a)
            n = 1000

            def adds():
                for _ in range(n):
                    torch.add(a, a, out=out)
            warm, reps = 2, 20
            times = time_cuda(adds, warm, reps, torch)
            results["launch_overhead"] = {"us_per_op": 1000 * sum(times) / len(times) / n, "reps": times}
            print(f"  {mode:24s} launch_overhead  {results['launch_overhead']['us_per_op']:10.3f} us/op", flush=True)
    if "train_step_b128" in workloads:
        base.train()
        opt = torch.optim.AdamW(base.parameters(), lr=2e-4, weight_decay=0.01)
        g = torch.Generator(device=device).manual_seed(8)
        x0, t = inputs[128]
        eps = torch.randn(x0.shape, device=device, generator=g)
        ab = torch.tensor([alpha_bar[int(i)] for i in t.tolist()], device=device).view(-1, 1, 1, 1)
        xt = ab.sqrt() * x0 + (1 - ab).sqrt() * eps

        def step():
            loss = ((compiled(xt, t) - eps) ** 2).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        record("train_step_b128", step)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", required=True, help="where to write the results")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--workloads", default=",".join(REPEATS))
    parser.add_argument("--quick", action="store_true", help="a tenth of the repetitions (smoke test)")
    args = parser.parse_args()
    modes = [m for m in args.modes.split(",") if m]
    workloads = [w for w in args.workloads.split(",") if w]
    for m in modes:
        if m not in MODES:
            parser.error(f"unknown mode '{m}': expected some of {MODES}")
    for w in workloads:
        if w not in REPEATS:
            parser.error(f"unknown workload '{w}': expected some of {list(REPEATS)}")

    import torch
    if not torch.cuda.is_available():
        print("sidebyside.py: CUDA is not available; these timings are for a GPU", file=sys.stderr)
        sys.exit(2)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    report = {"device": torch.cuda.get_device_name(0), "torch": torch.__version__, "cuda": torch.version.cuda,
              "cudnn": torch.backends.cudnn.version(), "modes": {}}
    for m in modes:
        began = time.time()
        report["modes"][m] = run_mode(m, workloads, args.quick, torch)
        print(f"sidebyside.py: {m} took {time.time() - began:.0f} s", flush=True)
        torch._dynamo.reset()
        with open(args.json, "w") as f:  # after every mode, so a run cut short keeps what it measured
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
