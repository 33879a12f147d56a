"""Checks train_ddpm.py's samplers against closed forms, on the CPU in seconds (needs torch; no GPU, no data).

Data N(mu, s^2) per pixel has the exact epsilon prediction E[eps | x_t] = sqrt(1-ab) (x_t - sqrt(ab) mu) / (ab s^2 + 1 - ab)
(ab = alpha-bar_t). Fed that model:
  - DDIM (eta 0) is a linear map of x_T per step, so the standard deviation of its output has a closed form: the
    product over steps of sqrt(ab_prev) (1 - sqrt(1-ab) c) / sqrt(ab) + sqrt(1-ab_prev) c, c = sqrt(1-ab) / (ab s^2 + 1 - ab);
    its mean is mu up to the sample's standard error (x_T ~ N(0, 1) has mean 0, not the marginal's sqrt(ab_T) mu);
  - DDPM-1000 (ancestral, beta-tilde) must give N(mu, s^2) up to the sampling error and the small bias of
    x_T ~ N(0, 1) instead of the exact marginal.
Exit status 1 with a message on any mismatch.

  python3 benchmarks/pytorch/check_train_ddpm.py
"""
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_ddpm  # noqa: E402

MU, S, N = 0.3, 0.5, 500
AB = train_ddpm.linear_alpha_bars(1000, 1e-4, 0.02)


class ExactEpsilon(torch.nn.Module):
    def forward(self, x, t):
        ab = torch.tensor(AB, dtype=torch.float32)[t].view(-1, 1, 1, 1)
        return (1 - ab).sqrt() * (x - ab.sqrt() * MU) / (ab * S * S + 1 - ab)


def ddim_std_closed_form(steps):
    ts, factor = train_ddpm.trailing_timesteps(1000, steps), 1.0
    for k, i in enumerate(ts):
        a, p = AB[i], (AB[ts[k + 1]] if k + 1 < len(ts) else 1.0)
        c = math.sqrt(1 - a) / (a * S * S + 1 - a)
        factor *= math.sqrt(p) * (1 - math.sqrt(1 - a) * c) / math.sqrt(a) + math.sqrt(1 - p) * c
    return factor


def main():
    failures = []
    values = N * 784
    for name, steps, want_std in (("ddim", 50, ddim_std_closed_form(50)), ("ddim", 1000, ddim_std_closed_form(1000)),
                                  ("ddpm", 1000, S)):
        gen = torch.Generator()
        gen.manual_seed(0)
        x, nfe = train_ddpm.sample_batch(ExactEpsilon(), AB, name, steps, gen, N, torch.device("cpu"))
        mean, std = x.double().mean().item(), x.double().std().item()
        # 5 standard errors of the mean and of the standard deviation of `values` normal draws, plus for DDPM the
        # prior's bias (x_T ~ N(0, 1), true std at T is 1 - 4e-5) and the float32 arithmetic
        tol_mean, tol_std = 5 * S / math.sqrt(values) + 2e-3, 5 * S / math.sqrt(2 * values) + 2e-3
        ok = nfe == steps and abs(mean - MU) < tol_mean and abs(std - want_std) < tol_std
        print(f"{name}-{steps}: NFE {nfe}, mean {mean:.5f} (expected {MU} +- {tol_mean:.4f}), "
              f"std {std:.5f} (expected {want_std:.5f} +- {tol_std:.4f}) {'ok' if ok else 'MISMATCH'}")
        if not ok:
            failures.append(f"{name}-{steps}")
    if failures:
        raise SystemExit("train_ddpm.py sampler check failed: " + ", ".join(failures))


if __name__ == "__main__":
    main()
