#!/usr/bin/env python3
"""Differential cases for Converge against PyTorch 1.13 (Debian's python3-torch).

Run from the repository root:  python3 tests/Converge.Tests/TestData/differential/make_cases.py
It writes cases.json beside itself; tests/Converge.Tests/Fidelity/DifferentialTests.cs replays it,
so CI needs no Python. Every case is random (fixed seed) over a configuration space and is computed
twice by PyTorch: in float32 (the expected values) and in float64 from the same float32 inputs. The
largest |float32 − float64| of each output ("spread") is PyTorch's own rounding error on that case;
the tests' tolerances are stated in multiples of it.
"""
import json
import math
import os
import random

import torch
import torch.nn.functional as F

R = random.Random(14)
torch.manual_seed(14)
CASES = []


def f32(values):
    return [float("%.9g" % v) for v in values]


def flat(t):
    return f32(t.detach().reshape(-1).tolist())


def leaf(t, dt):
    """A fresh leaf in dtype dt that requires grad (never the caller's tensor)."""
    return t.detach().to(dt).clone().requires_grad_(True)


def rand(shape, scale=1.0):
    return (torch.randn(*shape) * scale).float()


def emit(kind, config, inputs, run, perturbed=None):
    """run(dtype) -> dict name -> tensor; inputs: dict name -> float32 tensor (stored flat, with shape).
    perturbed(), if given, reruns the case in float32 from inputs moved by one ulp (random signs); the
    spread is then the larger of |float32 − float64| and |float32 − perturbed float32|: a training run
    amplifies float32 noise, and one float64 comparison can underestimate it by chance."""
    out32 = run(torch.float32)
    out64 = run(torch.float64)
    outp = perturbed() if perturbed else None
    case = {"kind": kind, "id": len(CASES), "config": config,
            "inputs": {k: {"shape": list(v.shape), "data": flat(v)} for k, v in inputs.items()},
            "expected": {}, "spread": {}}
    for name, value in out32.items():
        a, b = value.detach().reshape(-1).double(), out64[name].detach().reshape(-1).double()
        case["expected"][name] = flat(value)
        finite = torch.isfinite(a) & torch.isfinite(b)
        spread = float((a[finite] - b[finite]).abs().max()) if finite.any() else 0.0
        if outp is not None:
            c = outp[name].detach().reshape(-1).double()
            both = torch.isfinite(a) & torch.isfinite(c)
            spread = max(spread, float((a[both] - c[both]).abs().max()) if both.any() else 0.0)
        case["spread"][name] = float("%.3g" % spread)
    CASES.append(case)


# ------------------------------------------------------------------ activations
def activation_cases(n):
    for _ in range(n):
        op = R.choice(["sigmoid", "tanh", "relu", "leaky_relu", "softplus"])
        size = R.choice([1, 3, 7, 8, 9, 16, 33])
        scale = R.choice([0.01, 1.0, 5.0, 30.0, 120.0])
        x, g = rand([size], scale), rand([size])
        slope = R.choice([0.01, 0.2])

        def run(dt, op=op, x=x, g=g, slope=slope):
            xi = leaf(x, dt)
            fn = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
                  "leaky_relu": lambda t: F.leaky_relu(t, slope), "softplus": F.softplus}[op]
            y = fn(xi)
            (y * g.to(dt)).sum().backward()
            return {"y": y, "dx": xi.grad}
        emit("activation", {"op": op, "slope": slope}, {"x": x, "g": g}, run)


# ------------------------------------------------------------------ linear
def linear_cases(n):
    for _ in range(n):
        batch, fin, fout = R.randint(1, 12), R.randint(1, 10), R.randint(1, 10)
        bias = R.random() < 0.8
        x, w, b, g = rand([batch, fin]), rand([fout, fin], 0.5), rand([fout], 0.5), rand([batch, fout])

        def run(dt, x=x, w=w, b=b, g=g, bias=bias):
            xi, wi, bi = (leaf(t, dt) for t in (x, w, b))
            y = F.linear(xi, wi, bi if bias else None)
            (y * g.to(dt)).sum().backward()
            out = {"y": y, "dx": xi.grad, "dw": wi.grad}
            if bias:
                out["db"] = bi.grad
            return out
        emit("linear", {"bias": bias}, {"x": x, "w": w, "b": b, "g": g}, run)


# ------------------------------------------------------------------ batchnorm
def batchnorm_cases(n):
    for _ in range(n):
        batch, c = R.randint(2, 12), R.randint(1, 6)
        momentum = R.choice([0.1, 0.3, None])
        affine = R.random() < 0.7
        track = R.random() < 0.8
        steps = R.randint(1, 3)
        xs = [rand([batch, c], R.choice([0.5, 3.0])) + R.uniform(-2, 2) for _ in range(steps)]
        g = rand([batch, c])
        w, b = rand([c]) * 0.5 + 1, rand([c]) * 0.5
        inputs = {f"x{i}": x for i, x in enumerate(xs)}
        inputs.update({"g": g, "w": w, "b": b})

        def run(dt, xs=xs, g=g, w=w, b=b, c=c, momentum=momentum, affine=affine, track=track):
            bn = torch.nn.BatchNorm1d(c, momentum=momentum, affine=affine, track_running_stats=track).to(dt)
            if affine:
                with torch.no_grad():
                    bn.weight.copy_(w.to(dt))
                    bn.bias.copy_(b.to(dt))
            for x in xs[:-1]:
                bn(x.to(dt))
            xi = leaf(xs[-1], dt)
            y = bn(xi)
            (y * g.to(dt)).sum().backward()
            out = {"y": y, "dx": xi.grad}
            if affine:
                out["dw"], out["db"] = bn.weight.grad, bn.bias.grad
            if track:
                out["running_mean"], out["running_var"] = bn.running_mean, bn.running_var
                bn.eval()
                out["eval_y"] = bn(xs[0].to(dt))
            return out
        emit("batchnorm", {"momentum": momentum, "affine": affine, "track": track, "steps": steps}, inputs, run)


# ------------------------------------------------------------------ losses
def loss_cases(n):
    for _ in range(n):
        loss = R.choice(["bce", "bce_logits", "mse"])
        reduction = R.choice(["mean", "sum", "none"])
        rows, cols = R.randint(1, 11), R.choice([1, 1, 2, 3])
        scale = R.choice([1.0, 4.0, 12.0, 40.0])
        x = rand([rows, cols], scale)
        y = (torch.rand(rows, cols) < 0.5).float() if R.random() < 0.8 else torch.rand(rows, cols)
        g = rand([rows, cols])
        weight = R.choice([None, "ones", "col", "full"])
        pos_weight = R.choice([None, None, "col"]) if loss == "bce_logits" else None
        wt = {None: None, "ones": torch.ones(rows, cols), "col": torch.rand(cols) * 2, "full": torch.rand(rows, cols) * 2}[weight]
        pw = torch.rand(cols) * 3 + 0.2 if pos_weight else None
        if loss == "bce":
            x = torch.sigmoid(x)   # probabilities, some saturated to exactly 0 or 1
        inputs = {"x": x, "y": y, "g": g}
        if wt is not None:
            inputs["weight"] = wt
        if pw is not None:
            inputs["pos_weight"] = pw

        def run(dt, loss=loss, reduction=reduction, x=x, y=y, g=g, wt=wt, pw=pw):
            xi = leaf(x, dt)
            kw = {"reduction": reduction}
            if loss == "mse":
                out = F.mse_loss(xi, y.to(dt), **kw)
            elif loss == "bce":
                out = F.binary_cross_entropy(xi, y.to(dt), weight=None if wt is None else wt.to(dt), **kw)
            else:
                out = F.binary_cross_entropy_with_logits(xi, y.to(dt), weight=None if wt is None else wt.to(dt),
                                                         pos_weight=None if pw is None else pw.to(dt), **kw)
            (out * g.to(dt)).sum().backward() if reduction == "none" else out.backward()
            return {"loss": out, "dx": xi.grad}
        emit("loss", {"loss": loss, "reduction": reduction, "weight": weight, "pos_weight": pos_weight}, inputs, run)


# ------------------------------------------------------------------ optimizers (given gradients)
def optimizer_config():
    name = R.choice(["sgd", "adam", "adamw"])
    if name == "sgd":
        momentum = R.choice([0.0, 0.5, 0.9])
        nesterov = momentum > 0 and R.random() < 0.3
        return {"name": name, "lr": R.choice([0.01, 0.1, 0.5]), "momentum": momentum,
                "dampening": 0.0 if nesterov else R.choice([0.0, 0.0, 0.3]), "nesterov": nesterov,
                "weight_decay": R.choice([0.0, 0.0, 1e-3, 0.1])}
    config = {"name": name, "lr": R.choice([1e-3, 0.01, 0.1]), "betas": [R.choice([0.9, 0.8, 0.0]), R.choice([0.999, 0.9999, 0.9])],
              "eps": R.choice([1e-8, 1e-6]), "amsgrad": R.random() < 0.3}
    if R.random() < 0.7:   # otherwise left out: the optimizer's own default (0 for Adam, 0.01 for AdamW)
        config["weight_decay"] = R.choice([0.0, 1e-2, 0.1])
    return config


def make_optimizer(config, groups):
    kw = {k: v for k, v in config.items() if k not in ("name", "groups")}
    if "betas" in kw:
        kw["betas"] = tuple(kw["betas"])
    return {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[config["name"]](groups, **kw)


def optimizer_cases(n):
    for _ in range(n):
        config = optimizer_config()
        sizes = [R.randint(1, 12) for _ in range(R.randint(1, 3))]
        steps = R.randint(1, 25)
        # Optional second group with its own learning rate and weight decay.
        if len(sizes) > 1 and R.random() < 0.4:
            config["groups"] = [{"params": list(range(len(sizes) - 1))},
                                {"params": [len(sizes) - 1], "lr": config["lr"] * 0.3, "weight_decay": 0.0}]
        p0 = [rand([s]) for s in sizes]
        grads = [[rand([s], R.choice([0.01, 1.0, 10.0])) for s in sizes] for _ in range(steps)]
        inputs = {f"p{i}": p for i, p in enumerate(p0)}
        inputs.update({f"g{t}_{i}": g for t, gs in enumerate(grads) for i, g in enumerate(gs)})

        def run(dt, config=config, p0=p0, grads=grads):
            ps = [p.to(dt).clone().requires_grad_(True) for p in p0]
            if "groups" in config:
                groups = [{**{k: v for k, v in grp.items() if k != "params"}, "params": [ps[i] for i in grp["params"]]}
                          for grp in config["groups"]]
            else:
                groups = ps
            opt = make_optimizer(config, groups)
            for gs in grads:
                for p, g in zip(ps, gs):
                    p.grad = g.to(dt).clone()
                opt.step()
            return {f"p{i}": p for i, p in enumerate(ps)}
        emit("optimizer", {**config, "steps": steps, "sizes": sizes}, inputs, run)


# ------------------------------------------------------------------ gradient clipping
def clip_cases(n):
    for _ in range(n):
        sizes = [R.randint(1, 9) for _ in range(R.randint(1, 3))]
        grads = [rand([s], R.choice([0.1, 1.0, 30.0])) for s in sizes]
        mode = R.choice(["norm", "norm", "value"])
        config = {"mode": mode, "sizes": sizes}
        if mode == "norm":
            config["max_norm"] = R.choice([0.1, 1.0, 5.0, 1000.0])
            config["norm_type"] = R.choice([2.0, 2.0, 1.0, 3.0, "inf"])
        else:
            config["clip_value"] = R.choice([0.05, 0.5, 2.0])

        def run(dt, config=config, grads=grads):
            ps = [torch.zeros(g.shape, dtype=dt, requires_grad=True) for g in grads]
            for p, g in zip(ps, grads):
                p.grad = g.to(dt).clone()
            out = {}
            if config["mode"] == "norm":
                nt = math.inf if config["norm_type"] == "inf" else config["norm_type"]
                out["total_norm"] = torch.nn.utils.clip_grad_norm_(ps, config["max_norm"], norm_type=nt).reshape(1)
            else:
                torch.nn.utils.clip_grad_value_(ps, config["clip_value"])
            out.update({f"g{i}": p.grad for i, p in enumerate(ps)})
            return out
        emit("clip", config, {f"g{i}": g for i, g in enumerate(grads)}, run)


# ------------------------------------------------------------------ training runs
def training_cases(n):
    for _ in range(n):
        features, hidden = R.randint(1, 5), R.randint(2, 8)
        act = R.choice(["tanh", "relu", "sigmoid", "leaky_relu"])
        input_bn = R.random() < 0.3
        hidden_bn = R.random() < 0.2
        loss = R.choice(["bce_logits", "bce_logits", "bce", "mse"])
        layers = []
        if input_bn:
            layers.append(["batchnorm", features])
        layers += [["linear", features, hidden]]
        if hidden_bn:
            layers.append(["batchnorm", hidden])
        layers += [[act], ["linear", hidden, 1]]
        if loss == "bce":
            layers.append(["sigmoid"])
        batch = R.randint(4, 24)
        steps = R.randint(1, 25)
        config = {"layers": layers, "loss": loss, "steps": steps, "optimizer": optimizer_config()}
        config["optimizer"].pop("groups", None)
        if config["optimizer"]["name"] == "sgd":
            config["optimizer"]["lr"] = min(config["optimizer"]["lr"], 0.1)
            if config["optimizer"]["momentum"] == 0:
                config["optimizer"]["momentum"] = 0.5   # OneCycle cycles the momentum
        config["schedule"] = R.choice([None, None, "onecycle", "step"])
        x = rand([batch, features], R.choice([1.0, 3.0])) + R.choice([0.0, 5.0])
        y = (torch.rand(batch, 1) < 0.5).float()

        def build(dt):
            mods = []
            for spec in layers:
                if spec[0] == "linear":
                    mods.append(torch.nn.Linear(spec[1], spec[2]))
                elif spec[0] == "batchnorm":
                    mods.append(torch.nn.BatchNorm1d(spec[1]))
                else:
                    mods.append({"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid,
                                 "leaky_relu": torch.nn.LeakyReLU}[spec[0]]())
            return torch.nn.Sequential(*mods)
        initial = build(torch.float32)   # torch's own default initialization, drawn from the global generator
        state = {k: v.clone() for k, v in initial.state_dict().items() if v.dtype == torch.float32}
        inputs = {"x": x, "y": y}
        inputs.update({"state." + k: v for k, v in state.items()})

        def one_ulp(t):
            signs = torch.randint(0, 2, t.shape).float() * 2 - 1
            return (t * (1 + signs * 2.0 ** -23)).float()

        def run(dt, state=state, config=config, x=x, y=y):
            model = build(dt).to(dt)
            model.load_state_dict({k: v.to(dt) for k, v in state.items()}, strict=False)
            opt = make_optimizer(config["optimizer"], model.parameters())
            criterion = {"bce_logits": torch.nn.BCEWithLogitsLoss(), "bce": torch.nn.BCELoss(), "mse": torch.nn.MSELoss()}[config["loss"]]
            schedule = None
            if config["schedule"] == "onecycle":
                schedule = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=config["optimizer"]["lr"], total_steps=config["steps"])
            elif config["schedule"] == "step":
                schedule = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
            losses = []
            for _ in range(config["steps"]):
                opt.zero_grad()
                out = criterion(model(x.to(dt)), y.to(dt))
                losses.append(out.detach().reshape(1))
                out.backward()
                opt.step()
                if schedule is not None:
                    schedule.step()
            result = {"losses": torch.cat(losses)}
            result.update({"final." + k: v for k, v in model.state_dict().items() if v.dtype == dt})
            return result
        emit("training", config, inputs, run,
             perturbed=lambda run=run, state=state, x=x: run(torch.float32, state={k: one_ulp(v) for k, v in state.items()}, x=one_ulp(x)))


# ------------------------------------------------------------------ schedulers (Python floats: float64)
LAMBDAS = {"warmup10": lambda e: min(1.0, (e + 1) / 10.0), "inverse": lambda e: 1.0 / (1.0 + 0.1 * e)}


def make_scheduler(opt, spec):
    S = torch.optim.lr_scheduler
    k = spec["name"]
    if k == "step":
        return S.StepLR(opt, spec["step_size"], spec["gamma"])
    if k == "multistep":
        return S.MultiStepLR(opt, spec["milestones"], spec["gamma"])
    if k == "exponential":
        return S.ExponentialLR(opt, spec["gamma"])
    if k == "cosine":
        return S.CosineAnnealingLR(opt, spec["t_max"], spec["eta_min"])
    if k == "lambda":
        return S.LambdaLR(opt, LAMBDAS[spec["fn"]])
    if k == "linear":
        return S.LinearLR(opt, spec["start_factor"], spec["end_factor"], spec["total_iters"])
    if k == "warm_restarts":
        return S.CosineAnnealingWarmRestarts(opt, spec["t0"], spec["t_mult"], spec["eta_min"])
    if k == "cyclic":
        return S.CyclicLR(opt, spec["base_lr"], spec["max_lr"], spec["up"], spec["down"], mode=spec["mode"], gamma=spec["gamma"],
                          cycle_momentum=spec["cycle_momentum"])
    raise ValueError(k)


def scheduler_spec(allow_cyclic=True):
    k = R.choice(["step", "multistep", "exponential", "cosine", "lambda", "linear", "warm_restarts"] + (["cyclic"] * 2 if allow_cyclic else []))
    if k == "step":
        return {"name": k, "step_size": R.randint(1, 7), "gamma": R.choice([0.1, 0.5, 0.9])}
    if k == "multistep":
        return {"name": k, "milestones": sorted(R.sample(range(1, 30), 3)), "gamma": R.choice([0.1, 0.5])}
    if k == "exponential":
        return {"name": k, "gamma": R.choice([0.9, 0.97, 0.5])}
    if k == "cosine":
        return {"name": k, "t_max": R.randint(1, 20), "eta_min": R.choice([0.0, 1e-4])}
    if k == "lambda":
        return {"name": k, "fn": R.choice(sorted(LAMBDAS))}
    if k == "linear":
        return {"name": k, "start_factor": R.choice([1 / 3, 0.1, 0.5]), "end_factor": R.choice([1.0, 0.5, 0.0]), "total_iters": R.randint(1, 12)}
    if k == "warm_restarts":
        return {"name": k, "t0": R.randint(1, 8), "t_mult": R.choice([1, 2, 3]), "eta_min": R.choice([0.0, 1e-3])}
    return {"name": k, "base_lr": R.choice([1e-3, 0.01]), "max_lr": R.choice([0.1, 0.05]), "up": R.randint(1, 8),
            "down": R.choice([None, R.randint(1, 8)]), "mode": R.choice(["triangular", "triangular2", "exp_range"]),
            "gamma": R.choice([1.0, 0.99, 0.9]), "cycle_momentum": R.random() < 0.5}


def scheduler_cases(n):
    for _ in range(n):
        lr = R.choice([0.1, 0.01, 0.3])
        steps = R.randint(1, 40)
        if R.random() < 0.25:
            spec = {"name": "sequential", "schedulers": [scheduler_spec(False), scheduler_spec(False)], "milestones": [R.randint(1, 15)]}
        else:
            spec = scheduler_spec()
        opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr, momentum=0.9)
        if spec["name"] == "sequential":
            subs = [make_scheduler(opt, s) for s in spec["schedulers"]]
            sched = torch.optim.lr_scheduler.SequentialLR(opt, subs, spec["milestones"])
        else:
            sched = make_scheduler(opt, spec)
        lrs, momenta = [opt.param_groups[0]["lr"]], [opt.param_groups[0]["momentum"]]
        for _ in range(steps):
            opt.step()
            sched.step()
            lrs.append(opt.param_groups[0]["lr"])
            momenta.append(opt.param_groups[0]["momentum"])
        CASES.append({"kind": "scheduler", "id": len(CASES), "config": {"lr": lr, "steps": steps, "schedule": spec},
                      "inputs": {}, "expected": {"lr": lrs, "momentum": momenta}, "spread": {"lr": 0.0, "momentum": 0.0}})


activation_cases(300)
linear_cases(150)
batchnorm_cases(150)
loss_cases(400)
optimizer_cases(300)
clip_cases(150)
training_cases(120)
scheduler_cases(250)

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.json")
with open(path, "w") as f:
    json.dump({"torch": torch.__version__, "generator": "make_cases.py", "cases": CASES}, f, separators=(",", ":"), allow_nan=False)
print(f"{len(CASES)} cases, {os.path.getsize(path)} bytes -> {path}")
