using System.Text.Json;
using Converge.Losses;
using Converge.Modules;
using Converge.Optimizers;
using Converge.Tensors;
using Xunit.Abstractions;

namespace Converge.Tests.Fidelity;

/// <summary>
/// Replays TestData/differential/cases.json: random cases (modules, activations, losses and
/// reductions, optimizers and their options and parameter groups, gradient clipping, training runs
/// of 1–25 steps) computed by PyTorch 1.13 in float32, by make_cases.py beside the data.
/// <para>
/// Tolerance, per element: |ours − torch| ≤ 4·spread + 2⁻²²·|torch| + 4·float.Epsilon, where spread
/// is the largest |float32 − float64| PyTorch itself shows on that output of that case. Both
/// implementations round in float32 along different but equally long paths, so each is about
/// spread away from the exact value and their difference is at most about 2·spread; 4× leaves
/// margin. The relative term (2 ulp) covers outputs where PyTorch's two precisions agree exactly
/// (ReLU, clamps) but a single float rounding may still differ, and the absolute term subnormals.
/// </para>
/// <para>
/// Training runs amplify float32 noise, and one comparison can underestimate it by chance, so their
/// spread is also measured against a float32 rerun from inputs moved by one ulp (the larger of the
/// two is stored), and every loss and parameter of a run is held to the run's largest such spread:
/// each parameter's error feeds all the others through the shared loss. BatchNorm's running
/// statistics do not feed back into training and keep their own spread.
/// </para>
/// </summary>
public class DifferentialTests(ITestOutputHelper output)
{
    private const double SpreadFactor = 4;
    private const double RelativeFloor = 1.0 / (1 << 22);
    private const double AbsoluteFloor = 4 * float.Epsilon;

    private static readonly Lazy<JsonElement[]> Cases = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "differential", "cases.json");
        return [.. JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("cases").EnumerateArray()];
    });

    [Theory]
    [InlineData("activation")]
    [InlineData("linear")]
    [InlineData("batchnorm")]
    [InlineData("loss")]
    [InlineData("optimizer")]
    [InlineData("clip")]
    [InlineData("training")]
    public void Matches_PyTorch(string kind)
    {
        var cases = Cases.Value.Where(c => c.GetProperty("kind").GetString() == kind).ToArray();
        Assert.NotEmpty(cases);
        var failures = new List<string>();
        var worst = 0d;
        foreach (var c in cases)
        {
            var replay = new Replay(c);
            var actual = kind switch
            {
                "activation" => Activation(replay),
                "linear" => LinearCase(replay),
                "batchnorm" => BatchNormCase(replay),
                "loss" => LossCase(replay),
                "optimizer" => OptimizerCase(replay),
                "clip" => ClipCase(replay),
                _ => TrainingCase(replay),
            };
            var expectedNames = c.GetProperty("expected").EnumerateObject().Select(static p => p.Name).ToHashSet();
            Assert.True(expectedNames.SetEquals(actual.Keys), $"case {replay.Id}: outputs {string.Join(",", actual.Keys)} vs {string.Join(",", expectedNames)}");
            var runSpread = kind == "training"
                ? c.GetProperty("spread").EnumerateObject().Where(static p => !p.Name.Contains("running_", StringComparison.Ordinal)).Max(static p => p.Value.GetDouble())
                : 0;
            foreach (var (name, values) in actual)
                worst = Math.Max(worst, replay.Compare(name, values, failures, name.Contains("running_", StringComparison.Ordinal) ? 0 : runSpread));
        }
        output.WriteLine($"{cases.Length} {kind} cases; worst |ours − torch| / (spread + 2 ulp): {worst:F2}");
        Assert.True(failures.Count == 0, $"{failures.Count} mismatches:\n" + string.Join("\n", failures.Take(12)));
    }

    /// <summary>
    /// Schedules compute in double, as PyTorch's Python floats, with PyTorch's recursive formulas:
    /// the learning rates and momenta agree to 1e-13 relative (a few double roundings; most are
    /// bit-identical); where PyTorch's LinearLr ends at a tiny negative rate (−1e-20 … −1e-17), ours is exactly 0.
    /// </summary>
    [Fact]
    public void Schedules_match_PyTorch()
    {
        var cases = Cases.Value.Where(static c => c.GetProperty("kind").GetString() == "scheduler").ToArray();
        Assert.NotEmpty(cases);
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var config = c.GetProperty("config");
            var optimizer = new Sgd([Tensor.Parameter([0f], 1)], new SgdOptions { LearningRate = config.GetProperty("lr").GetDouble(), Momentum = 0.9 });
            var spec = config.GetProperty("schedule");
            ILearningRateScheduler scheduler = spec.GetProperty("name").GetString() == "sequential"
                ? new SequentialLr(optimizer, [.. spec.GetProperty("schedulers").EnumerateArray().Select(s => MakeScheduler(optimizer, s))],
                    [.. spec.GetProperty("milestones").EnumerateArray().Select(static m => m.GetInt32())])
                : MakeScheduler(optimizer, spec);
            var (lrs, momenta) = (new List<double> { optimizer.LearningRate }, new List<double> { optimizer.Momentum!.Value });
            for (var step = 0; step < config.GetProperty("steps").GetInt32(); step++)
            {
                optimizer.Step();
                scheduler.Step();
                lrs.Add(optimizer.LearningRate);
                momenta.Add(optimizer.Momentum!.Value);
            }
            foreach (var (name, actual) in new[] { ("lr", lrs), ("momentum", momenta) })
            {
                var expected = c.GetProperty("expected").GetProperty(name).EnumerateArray().Select(static v => v.GetDouble()).ToArray();
                for (var i = 0; i < expected.Length; i++)
                    if (!(expected[i] < 0 ? actual[i] == 0 : Math.Abs(actual[i] - expected[i]) <= 1e-13 * expected[i]))   // LinearLr clamps PyTorch's tiny negative end at 0
                    {
                        failures.Add($"case {c.GetProperty("id").GetInt32()} {spec}: {name}[{i}] = {actual[i]:R}, torch {expected[i]:R}");
                        break;
                    }
            }
        }
        output.WriteLine($"{cases.Length} scheduler cases");
        Assert.True(failures.Count == 0, $"{failures.Count} mismatches:\n" + string.Join("\n", failures.Take(12)));
    }

    private static LearningRateScheduler MakeScheduler(Optimizer optimizer, JsonElement spec)
    {
        double Get(string name) => spec.GetProperty(name).GetDouble();
        int GetInt(string name) => spec.GetProperty(name).GetInt32();
        return spec.GetProperty("name").GetString() switch
        {
            "step" => new StepLr(optimizer, GetInt("step_size"), Get("gamma")),
            "multistep" => new MultiStepLr(optimizer, [.. spec.GetProperty("milestones").EnumerateArray().Select(static m => m.GetInt32())], Get("gamma")),
            "exponential" => new ExponentialLr(optimizer, Get("gamma")),
            "cosine" => new CosineAnnealingLr(optimizer, GetInt("t_max"), Get("eta_min")),
            "lambda" => new LambdaLr(optimizer, spec.GetProperty("fn").GetString() == "warmup10" ? static e => Math.Min(1.0, (e + 1) / 10.0) : static e => 1.0 / (1.0 + 0.1 * e)),
            "linear" => new LinearLr(optimizer, Get("start_factor"), Get("end_factor"), GetInt("total_iters")),
            "warm_restarts" => new CosineAnnealingWarmRestarts(optimizer, GetInt("t0"), GetInt("t_mult"), Get("eta_min")),
            _ => new CyclicLr(optimizer, Get("base_lr"), Get("max_lr"), GetInt("up"),
                spec.GetProperty("down").ValueKind == JsonValueKind.Null ? null : GetInt("down"),
                spec.GetProperty("mode").GetString() switch { "triangular" => CyclicMode.Triangular, "triangular2" => CyclicMode.Triangular2, _ => CyclicMode.ExpRange },
                Get("gamma"), spec.GetProperty("cycle_momentum").GetBoolean()),
        };
    }

    private static Dictionary<string, double[]> Activation(Replay r)
    {
        var x = r.Parameter("x");
        var slope = (float)r.Config.GetProperty("slope").GetDouble();
        var y = r.Config.GetProperty("op").GetString() switch
        {
            "sigmoid" => x.Sigmoid(),
            "tanh" => x.Tanh(),
            "relu" => x.Relu(),
            "leaky_relu" => x.LeakyRelu(slope),
            _ => x.Softplus(),
        };
        (y * r.Input("g")).Sum().Backward();
        return new() { ["y"] = D(y.Data), ["dx"] = D(x.Grad!) };
    }

    private static Dictionary<string, double[]> LinearCase(Replay r)
    {
        var x = r.Parameter("x");
        var w = r.Input("w");
        var bias = r.Config.GetProperty("bias").GetBoolean();
        var linear = new Linear(w.Shape[1], w.Shape[0], bias, new Generator(0));
        w.Data.CopyTo(linear.Weight.Data, 0);
        if (bias) r.Input("b").Data.CopyTo(linear.Bias!.Data, 0);
        var y = linear.Forward(x);
        (y * r.Input("g")).Sum().Backward();
        var result = new Dictionary<string, double[]> { ["y"] = D(y.Data), ["dx"] = D(x.Grad!), ["dw"] = D(linear.Weight.Grad!) };
        if (bias) result["db"] = D(linear.Bias!.Grad!);
        return result;
    }

    private static Dictionary<string, double[]> BatchNormCase(Replay r)
    {
        var config = r.Config;
        var steps = config.GetProperty("steps").GetInt32();
        var (affine, track) = (config.GetProperty("affine").GetBoolean(), config.GetProperty("track").GetBoolean());
        double? momentum = config.GetProperty("momentum").ValueKind == JsonValueKind.Null ? null : config.GetProperty("momentum").GetDouble();
        var last = r.Parameter($"x{steps - 1}");
        var bn = new BatchNorm1d(last.Shape[1], momentum: momentum, affine: affine, trackRunningStats: track);
        if (affine)
        {
            r.Input("w").Data.CopyTo(bn.Weight!.Data, 0);
            r.Input("b").Data.CopyTo(bn.Bias!.Data, 0);
        }
        for (var i = 0; i < steps - 1; i++) bn.Forward(r.Input($"x{i}"));
        var y = bn.Forward(last);
        (y * r.Input("g")).Sum().Backward();
        var result = new Dictionary<string, double[]> { ["y"] = D(y.Data), ["dx"] = D(last.Grad!) };
        if (affine) (result["dw"], result["db"]) = (D(bn.Weight!.Grad!), D(bn.Bias!.Grad!));
        if (track)
        {
            (result["running_mean"], result["running_var"]) = (D(bn.RunningMean!.Data), D(bn.RunningVar!.Data));
            bn.Eval();
            result["eval_y"] = D(bn.Forward(r.Input("x0")).Data);
        }
        return result;
    }

    private static Dictionary<string, double[]> LossCase(Replay r)
    {
        var config = r.Config;
        var reduction = config.GetProperty("reduction").GetString() switch { "mean" => Reduction.Mean, "sum" => Reduction.Sum, _ => Reduction.None };
        var weight = r.Has("weight") ? r.Input("weight") : null;
        ElementwiseLoss loss = config.GetProperty("loss").GetString() switch
        {
            "mse" => new MseLoss(reduction),
            "bce" => new BceLoss(weight, reduction),
            _ => new BceWithLogitsLoss(weight, r.Has("pos_weight") ? r.Input("pos_weight") : null, reduction),
        };
        var x = r.Parameter("x");
        var value = loss.Forward(x, r.Input("y"));
        if (reduction == Reduction.None) (value * r.Input("g")).Sum().Backward();
        else value.Backward();
        return new() { ["loss"] = D(value.Data), ["dx"] = D(x.Grad!) };
    }

    private static Dictionary<string, double[]> OptimizerCase(Replay r)
    {
        var config = r.Config;
        var sizes = config.GetProperty("sizes").EnumerateArray().Select(static s => s.GetInt32()).ToArray();
        var ps = Enumerable.Range(0, sizes.Length).Select(i => r.Parameter($"p{i}")).ToArray();
        List<ParameterGroup>? groups = null;
        if (config.TryGetProperty("groups", out var groupList))
        {
            groups = [];
            foreach (var g in groupList.EnumerateArray())
            {
                var members = g.GetProperty("params").EnumerateArray().Select(i => ps[i.GetInt32()]);
                groups.Add(new ParameterGroup(members,
                    g.TryGetProperty("lr", out var lr) ? lr.GetDouble() : null,
                    g.TryGetProperty("weight_decay", out var wd) ? wd.GetDouble() : null));
            }
        }
        var optimizer = MakeOptimizer(config, ps, groups);
        for (var step = 0; step < config.GetProperty("steps").GetInt32(); step++)
        {
            optimizer.ZeroGrad();
            for (var i = 0; i < ps.Length; i++) (ps[i] * r.Input($"g{step}_{i}")).Sum().Backward();   // grad = g exactly
            optimizer.Step();
        }
        return Enumerable.Range(0, ps.Length).ToDictionary(i => $"p{i}", i => D(ps[i].Data));
    }

    private static Dictionary<string, double[]> ClipCase(Replay r)
    {
        var config = r.Config;
        var count = config.GetProperty("sizes").GetArrayLength();
        var ps = Enumerable.Range(0, count).Select(i => Tensor.Parameter(new float[r.Input($"g{i}").Length], r.Input($"g{i}").Length)).ToArray();
        for (var i = 0; i < count; i++) (ps[i] * r.Input($"g{i}")).Sum().Backward();
        var result = new Dictionary<string, double[]>();
        if (config.GetProperty("mode").GetString() == "norm")
        {
            var normType = config.GetProperty("norm_type") is { ValueKind: JsonValueKind.String } ? double.PositiveInfinity : config.GetProperty("norm_type").GetDouble();
            result["total_norm"] = [Optimizer.ClipGradNorm(ps, config.GetProperty("max_norm").GetDouble(), normType)];
        }
        else Optimizer.ClipGradValue(ps, config.GetProperty("clip_value").GetDouble());
        for (var i = 0; i < count; i++) result[$"g{i}"] = D(ps[i].Grad!);
        return result;
    }

    private static Dictionary<string, double[]> TrainingCase(Replay r)
    {
        var config = r.Config;
        var layers = new List<Module>();
        foreach (var spec in config.GetProperty("layers").EnumerateArray())
        {
            layers.Add(spec[0].GetString() switch
            {
                "linear" => new Linear(spec[1].GetInt32(), spec[2].GetInt32(), generator: new Generator(0)),
                "batchnorm" => new BatchNorm1d(spec[1].GetInt32()),
                "tanh" => new Tanh(),
                "relu" => new ReLU(),
                "sigmoid" => new Sigmoid(),
                _ => new LeakyReLU(),
            });
        }
        var model = new Sequential([.. layers]);
        var state = model.StateDict();
        foreach (var (name, tensor) in state)
            if (r.Has("state." + name)) r.Input("state." + name).Data.CopyTo(tensor.Data, 0);
        ElementwiseLoss criterion = config.GetProperty("loss").GetString() switch
        {
            "bce" => new BceLoss(),
            "mse" => new MseLoss(),
            _ => new BceWithLogitsLoss(),
        };
        var optimizer = MakeOptimizer(config.GetProperty("optimizer"), model.Parameters(), null);
        var steps = config.GetProperty("steps").GetInt32();
        ILearningRateScheduler? schedule = config.GetProperty("schedule").GetString() switch
        {
            "onecycle" => new OneCycleLr(optimizer, config.GetProperty("optimizer").GetProperty("lr").GetDouble(), steps),
            "step" => new StepLr(optimizer, stepSize: 3, gamma: 0.5),
            _ => null,
        };
        var (x, y) = (r.Input("x"), r.Input("y"));
        var losses = new List<double>();
        for (var step = 0; step < steps; step++)
        {
            optimizer.ZeroGrad();
            var loss = criterion.Forward(model.Forward(x), y);
            losses.Add(loss.Item());
            loss.Backward();
            optimizer.Step();
            schedule?.Step();
        }
        var result = new Dictionary<string, double[]> { ["losses"] = [.. losses] };
        foreach (var (name, tensor) in state)
            if (name != null && !name.EndsWith("num_batches_tracked", StringComparison.Ordinal)) result["final." + name] = D(tensor.Data);
        return result;
    }

    private static Optimizer MakeOptimizer(JsonElement config, IEnumerable<Tensor> parameters, List<ParameterGroup>? groups)
    {
        var lr = config.GetProperty("lr").GetDouble();
        double? weightDecay = config.TryGetProperty("weight_decay", out var wd) ? wd.GetDouble() : null;
        var name = config.GetProperty("name").GetString();
        if (name == "sgd")
        {
            var options = new SgdOptions
            {
                LearningRate = lr, Momentum = config.GetProperty("momentum").GetDouble(), Dampening = config.GetProperty("dampening").GetDouble(),
                Nesterov = config.GetProperty("nesterov").GetBoolean(), WeightDecay = weightDecay ?? 0,
            };
            return groups is null ? new Sgd(parameters, options) : new Sgd(groups, options);
        }
        var adam = new AdamOptions
        {
            LearningRate = lr, Beta1 = config.GetProperty("betas")[0].GetDouble(), Beta2 = config.GetProperty("betas")[1].GetDouble(),
            Epsilon = config.GetProperty("eps").GetDouble(), Amsgrad = config.GetProperty("amsgrad").GetBoolean(), WeightDecay = weightDecay,
        };
        if (name == "adamw") return groups is null ? new AdamW(parameters, adam) : new AdamW(groups, adam);
        return groups is null ? new Adam(parameters, adam) : new Adam(groups, adam);
    }

    private static double[] D(float[] values) => [.. values.Select(static v => (double)v)];

    /// <summary>One case: its inputs as tensors, its expected outputs and their spreads.</summary>
    private sealed class Replay(JsonElement c)
    {
        public int Id { get; } = c.GetProperty("id").GetInt32();

        public JsonElement Config { get; } = c.GetProperty("config");

        public bool Has(string name) => c.GetProperty("inputs").TryGetProperty(name, out _);

        public Tensor Input(string name)
        {
            var input = c.GetProperty("inputs").GetProperty(name);
            int[] shape = [.. input.GetProperty("shape").EnumerateArray().Select(static s => s.GetInt32())];
            float[] data = [.. input.GetProperty("data").EnumerateArray().Select(static v => Number(v))];
            return new Tensor(data, shape);
        }

        public Tensor Parameter(string name)
        {
            var t = Input(name);
            t.RequiresGrad = true;
            return t;
        }

        /// <summary>Adds a line per element out of tolerance (spread at least <paramref name="minimumSpread"/>); returns the worst |diff| / (spread + 2 ulp).</summary>
        public double Compare(string name, double[] actual, List<string> failures, double minimumSpread)
        {
            float[] expected = [.. c.GetProperty("expected").GetProperty(name).EnumerateArray().Select(static v => Number(v))];
            var spread = Math.Max(minimumSpread, c.GetProperty("spread").GetProperty(name).GetDouble());
            if (expected.Length != actual.Length)
            {
                failures.Add($"case {Id} {Config}: {name} has {actual.Length} values, torch {expected.Length}");
                return double.PositiveInfinity;
            }
            var worst = 0d;
            for (var i = 0; i < expected.Length; i++)
            {
                var (e, a) = ((double)expected[i], actual[i]);
                if (double.IsNaN(e) || double.IsInfinity(e))
                {
                    if (!e.Equals(a)) failures.Add($"case {Id} {Config}: {name}[{i}] = {a:R}, torch {e:R}");
                    continue;
                }
                var scale = spread + RelativeFloor * Math.Abs(e) + AbsoluteFloor;
                var ratio = Math.Abs(a - e) / scale;
                worst = Math.Max(worst, ratio);
                if (!(Math.Abs(a - e) <= SpreadFactor * spread + RelativeFloor * Math.Abs(e) + AbsoluteFloor))
                    failures.Add($"case {Id} {Config}: {name}[{i}] = {a:R}, torch {e:R} (spread {spread:G3})");
            }
            return worst;
        }

        private static float Number(JsonElement v) => (float)v.GetDouble();
    }
}
