"""Builds the side-by-side markdown table from one run of benchmarks/sidebyside.sh (standard library only).

    python3 benchmarks/sidebyside_table.py --jmh jmh.json --torch torch.json --manifest parity/manifest.json \
        [--parity parity.json] [--machine "..."] [--commit abc123] [--command "..."]

Rows are workloads, columns are diffusion4j (JMH's mean score, strict precision) and the four PyTorch modes (mean
of the CUDA-event times), then ours / PyTorch for each mode: above 1 means diffusion4j is slower. When the JMH
results hold rows with precision=tf32 (SIDEBYSIDE_TF32=1), "ours tf32" and "ours tf32 / eager TF32" are added.
"""
import argparse
import datetime
import json

SIDEBYSIDE = "org.diffusion4j.benchmarks.sidebyside."
MODES = [("eager_fp32", "eager FP32"), ("eager_tf32", "eager TF32"), ("compile", "compile"),
         ("compile_reduce_overhead", "compile RO")]
# (row label, unit, torch workload, JMH benchmark, JMH params that must match)
ROWS = [
    ("UNet-S forward, batch 1", "ms", "forward_b1", "UNetSForwardBenchmark.forward", {"batch": "1"}),
    ("UNet-S forward, batch 128", "ms", "forward_b128", "UNetSForwardBenchmark.forward", {"batch": "128"}),
    ("train step (fwd+bwd+AdamW), batch 128", "ms", "train_step_b128", "UNetSTrainStepBenchmark.step", {"batch": "128"}),
    ("DDIM 50 steps, batch 1", "ms", "ddim50_b1", "SamplingBenchmark.sample", {"sampler": "ddim-50", "batch": "1"}),
    ("DDIM 50 steps, batch 128", "ms", "ddim50_b128", "SamplingBenchmark.sample", {"sampler": "ddim-50", "batch": "128"}),
    ("DDPM 1000 steps, batch 1", "ms", "ddpm1000_b1", "SamplingBenchmark.sample", {"sampler": "ddpm-1000", "batch": "1"}),
    ("DDPM 1000 steps, batch 128", "ms", "ddpm1000_b128", "SamplingBenchmark.sample", {"sampler": "ddpm-1000", "batch": "128"}),
    ("one tiny kernel launch (enqueue)", "us", "launch_overhead", "LaunchOverheadBenchmark.tinyAdd", {}),
]


def jmh_score(jmh, benchmark, params, precision="strict"):
    """The score of a benchmark with these params under a precision policy (rows without the param are strict)."""
    for r in jmh:
        p = r.get("params", {})
        if (r["benchmark"] == SIDEBYSIDE + benchmark and all(p.get(k) == v for k, v in params.items())
                and p.get("precision", "strict") == precision):
            return r["primaryMetric"]["score"], r["primaryMetric"]["scoreUnit"]
    return None, None


def torch_value(torch_report, mode, workload):
    entry = torch_report.get("modes", {}).get(mode, {}).get(workload)
    if entry is None:
        return None
    if "error" in entry:
        return "error"
    return entry.get("us_per_op", entry.get("ms"))


def fmt(v):
    if v is None:
        return "-"
    if v == "error":
        return "error"
    return f"{v:.3g}" if v < 100 else f"{v:.0f}"


def table(jmh, torch_report, manifest, parity, machine, commit, command):
    lines = [f"### Side by side with PyTorch: UNet-S on {torch_report.get('device', '?')}", ""]
    lines.append(f"Machine: {machine}. Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC. "
                 f"Commit: {commit}. PyTorch {torch_report.get('torch', '?')} (CUDA {torch_report.get('cuda', '?')}, "
                 f"cuDNN {torch_report.get('cudnn', '?')}).")
    lines.append(f"Ours: {manifest.get('device', '?')}.")
    launches = {f["batch"]: f["kernel_launches"] for f in manifest.get("forward", [])}
    lines.append("Kernels per UNet-S forward (ours, counted by the OpenCL backend): "
                 + ", ".join(f"batch {b}: {n}" for b, n in launches.items()) + ".")
    ddim, train = manifest.get("ddim", {}), manifest.get("train_step")
    if ddim.get("kernel_launches", -1) >= 0 and ddim.get("steps"):
        lines.append(f"Kernels per DDIM step (the {ddim['steps']}-step loop at batch {ddim['batch']}, forward and update): "
                     f"{ddim['kernel_launches'] / ddim['steps']:.1f}.")
    if train:
        lines.append(f"Kernels per training step (forward, backward, AdamW; batch {train['batch']}): {train['kernel_launches']}.")
    if parity:
        fw = ", ".join(f"batch {f['batch']}: {f['relative_error']:.1e}" for f in parity["forward"])
        lines.append(f"Parity (max|ours - torch| / max|torch|, TF32 off): forward {fw}; DDIM {parity['ddim']['steps']} steps "
                     f"{parity['ddim']['relative_error']:.1e}; {'passed' if parity['passed'] else 'FAILED'}.")
    lines.append(f"Command: `{command}`. Ours: JMH mean (sampling rows single-shot); PyTorch: mean of CUDA-event times; "
                 "compiled modes with TF32 off. Ratio = ours / PyTorch (above 1: we are slower).")
    lines.append("")
    tf32 = any(r.get("params", {}).get("precision") == "tf32" for r in jmh)
    head = ["workload", "unit", "ours"] + [label for _, label in MODES] + [f"ours / {label}" for _, label in MODES]
    if tf32:
        head += ["ours tf32", "ours tf32 / eager TF32"]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "|".join(" --- " for _ in head) + "|")
    for label, unit, workload, benchmark, params in ROWS:
        ours, _ = jmh_score(jmh, benchmark, params)
        theirs = [torch_value(torch_report, m, workload) for m, _ in MODES]
        ratios = [ours / t if ours is not None and isinstance(t, float) and t > 0 else None for t in theirs]
        cells = [label, unit, fmt(ours)] + [fmt(t) for t in theirs] + [fmt(r) for r in ratios]
        if tf32:
            ours_tf32, _ = jmh_score(jmh, benchmark, params, "tf32")
            eager_tf32 = theirs[1]
            cells += [fmt(ours_tf32), fmt(ours_tf32 / eager_tf32 if ours_tf32 is not None and isinstance(eager_tf32, float)
                                          and eager_tf32 > 0 else None)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--jmh", required=True)
    p.add_argument("--torch", required=True)
    p.add_argument("--manifest", required=True)
    p.add_argument("--parity")
    p.add_argument("--machine", default="?")
    p.add_argument("--commit", default="?")
    p.add_argument("--command", default="benchmarks/sidebyside.sh")
    a = p.parse_args()
    with open(a.jmh) as f:
        jmh = json.load(f)
    with open(a.torch) as f:
        torch_report = json.load(f)
    with open(a.manifest) as f:
        manifest = json.load(f)
    parity = None
    if a.parity:
        with open(a.parity) as f:
            parity = json.load(f)
    print(table(jmh, torch_report, manifest, parity, a.machine, a.commit, a.command), end="")


if __name__ == "__main__":
    main()
