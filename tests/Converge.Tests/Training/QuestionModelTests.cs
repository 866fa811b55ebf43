using System.Text.Json;
using Converge.Losses;
using Converge.Modules;
using Converge.Optimizers;
using Converge.Tensors;

namespace Converge.Tests.Training;

/// <summary>
/// The question's model written as a Module subclass, replaying the 20-step runs of
/// vectors.json → training (PyTorch 1.13, float64). We compute in float32, so losses agree to
/// about 1e-5 relative rather than 1e-12.
/// </summary>
public class QuestionModelTests
{
    private const double Tolerance = 2e-5;

    private sealed class Model : Module
    {
        private readonly BatchNorm1d? _bn;
        private readonly Linear _linear;
        private readonly Linear _linear2;
        private readonly bool _finalSigmoid;

        public Model(bool batchNorm, bool finalSigmoid)
        {
            _bn = batchNorm ? new BatchNorm1d(1) : null;
            _linear = new Linear(1, 4);
            _linear2 = new Linear(4, 1);
            _finalSigmoid = finalSigmoid;
        }

        public override Tensor Forward(Tensor input)
        {
            var x = _bn?.Forward(input) ?? input;
            var logits = _linear2.Forward(_linear.Forward(x).Sigmoid());
            return _finalSigmoid ? logits.Sigmoid() : logits;
        }

        protected override IEnumerable<(string Name, Module Module)> Children()
        {
            if (_bn is not null) yield return ("bn", _bn);
            yield return ("linear", _linear);
            yield return ("linear2", _linear2);
        }
    }

    private static JsonElement Vectors() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "vectors", "training.json"))).RootElement;

    private static float[] Floats(JsonElement e) => e.ValueKind == JsonValueKind.Array
        ? [.. e.EnumerateArray().SelectMany(x => x.ValueKind == JsonValueKind.Array ? Floats(x) : [(float)x.GetDouble()])]
        : [(float)e.GetDouble()];

    [Theory]
    [InlineData("raw_bce_adam", false, true)]
    [InlineData("standardized_bce_adam", false, true)]
    [InlineData("raw_bcewithlogits_adam", false, false)]
    [InlineData("raw_batchnorm_input_bce_adam", true, true)]
    public void Twenty_Adam_steps_reproduce_PyTorch_losses(string run, bool batchNorm, bool finalSigmoid)
    {
        var v = Vectors();
        var expected = v.GetProperty(run).GetProperty("loss_at_param_state").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var inputs = run.StartsWith("standardized", StringComparison.Ordinal)
            ? Floats(v.GetProperty("standardization").GetProperty("inputs_standardized"))
            : Floats(v.GetProperty("inputs_raw"));
        var x = new Tensor(inputs, inputs.Length, 1);
        var y = new Tensor(Floats(v.GetProperty("labels")), inputs.Length, 1);
        var model = new Model(batchNorm, finalSigmoid);
        var p = v.GetProperty("initial_params");
        var state = model.StateDict();
        Floats(p.GetProperty("W1")).CopyTo(state["linear.weight"].Data, 0);
        Floats(p.GetProperty("b1")).CopyTo(state["linear.bias"].Data, 0);
        Floats(p.GetProperty("W2")).CopyTo(state["linear2.weight"].Data, 0);
        Floats(p.GetProperty("b2")).CopyTo(state["linear2.bias"].Data, 0);
        ElementwiseLoss criterion = finalSigmoid ? new BceLoss() : new BceWithLogitsLoss();
        var optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = 0.01 });

        for (var step = 0; step < expected.Length; step++)
        {
            optimizer.ZeroGrad();
            var loss = criterion.Forward(model.Forward(x), y);
            Assert.True(Math.Abs(loss.Item() - expected[step]) <= Tolerance * expected[step],
                $"step {step}: loss {loss.Item()}, PyTorch {expected[step]}");
            if (step == expected.Length - 1) break;
            loss.Backward();
            optimizer.Step();
        }
    }
}
