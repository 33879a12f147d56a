"""PyTorch's counterpart of ProfileKernels: device time per CUDA kernel for one UNet-S training step (the
train_step_b128 workload of sidebyside.py: forward, MSE to eps, backward, AdamW lr 2e-4 wd 0.01) and one forward
(no grad, eval mode), eager mode, TF32 off, from torch.profiler. Writes a Markdown report.

    python3 benchmarks/pytorch/profile_train_step.py [--batch 128] [--steps 10] [--warmup 3] [--top 25] [--out torch-profile.md]
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def kernel_table(prof, units, unit, top):
    """Sums CUDA kernel time by kernel name (the device activity rows of the trace)."""
    totals = {}
    for e in prof.key_averages():
        if not str(getattr(e, "device_type", "")).endswith("CUDA"):
            continue  # CPU-side operators; the kernels are the device-side rows
        us = getattr(e, "self_device_time_total", None)
        if us is None:
            us = getattr(e, "self_cuda_time_total", 0)
        name = e.key if len(e.key) <= 90 else e.key[:87] + "..."
        t = totals.setdefault(name, [0, 0.0])
        t[0] += e.count
        t[1] += us  # microseconds
    rows = sorted(totals.items(), key=lambda kv: -kv[1][1])
    total = sum(v[1] for v in totals.values())
    launches = sum(v[0] for v in totals.values())
    out = [f"| kernel | launches per {unit} | ms per {unit} | share | mean us per launch |", "| --- | --- | --- | --- | --- |"]
    def row(name, n, us):
        return f"| {name} | {n / units:.1f} | {us / 1000 / units:.3f} | {100 * us / total if total else 0:.1f}% | {us / n if n else 0:.1f} |"
    rest_n, rest_us = launches, total
    for name, (n, us) in rows[:top]:
        out.append(row(name.replace("|", "/"), n, us))
        rest_n -= n
        rest_us -= us
    if len(rows) > top:
        out.append(row(f"({len(rows) - top} other kernels)", rest_n, rest_us))
    out.append(row("**all kernels**", launches, total))
    return "\n".join(out), total / 1000 / units


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--out")
    a = p.parse_args()
    import torch
    from torch.profiler import ProfilerActivity, profile
    from unet_s import UNetS
    from sidebyside import linear_schedule

    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    device = torch.device("cuda")
    torch.manual_seed(0)
    net = UNetS(in_channels=1).to(device)
    _, alpha_bar = linear_schedule()
    g = torch.Generator(device=device).manual_seed(a.batch)
    x0 = torch.randn(a.batch, 1, 28, 28, device=device, generator=g)
    t = torch.tensor([(500 + 389 * i) % 1000 for i in range(a.batch)], device=device, dtype=torch.float32)
    eps = torch.randn(x0.shape, device=device, generator=torch.Generator(device=device).manual_seed(8))
    ab = torch.tensor([alpha_bar[int(i)] for i in t.tolist()], device=device).view(-1, 1, 1, 1)
    xt = ab.sqrt() * x0 + (1 - ab).sqrt() * eps
    opt = torch.optim.AdamW(net.parameters(), lr=2e-4, weight_decay=0.01)

    def step():
        loss = ((net(xt, t) - eps) ** 2).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        torch.cuda.synchronize()

    def forward():
        with torch.no_grad():
            net(xt, t)
        torch.cuda.synchronize()

    report = [f"# Device time per CUDA kernel: UNet-S at batch {a.batch}, PyTorch {torch.__version__} eager, TF32 off", "",
              f"Device: {torch.cuda.get_device_name(0)}", ""]
    for title, unit, fn, mode in (("Training step", "step", step, "train"), ("Forward (no grad, eval mode)", "forward", forward, "eval")):
        net.train() if mode == "train" else net.eval()
        for _ in range(a.warmup):
            fn()
        t0 = time.perf_counter()
        for _ in range(a.steps):
            fn()
        wall = (time.perf_counter() - t0) * 1000 / a.steps
        with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
            for _ in range(a.steps):
                fn()
        table, device_ms = kernel_table(prof, a.steps, unit, a.top)
        if device_ms == 0:  # no device-side rows found: show the profiler's own table instead
            sort = "self_device_time_total" if hasattr(prof.key_averages()[0], "self_device_time_total") else "self_cuda_time_total"
            table = "```\n" + prof.key_averages().table(sort_by=sort, row_limit=a.top) + "\n```"
        report += [f"## {title}", "",
                   f"Wall time {wall:.2f} ms per {unit} without the profiler; kernels kept the device busy {device_ms:.2f} ms "
                   f"per {unit} under it ({100 * device_ms / wall:.0f}% of the unprofiled wall time).", "", table, ""]
    text = "\n".join(report) + "\n"
    print(text)
    if a.out:
        open(a.out, "w").write(text)


if __name__ == "__main__":
    main()
