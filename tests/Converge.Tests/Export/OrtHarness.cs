using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Converge.Tests.Export;

/// <summary>One ONNX Runtime output, copied out of native memory.</summary>
internal sealed record OrtResult(long[] Shape, float[] Floats, long[] Int64s);

/// <summary>Runs a serialized model in ONNX Runtime with float inputs and returns every graph output.</summary>
internal static class OrtHarness
{
    public static Dictionary<string, OrtResult> Run(byte[] model, params (string Name, float[] Data, long[] Shape)[] inputs)
    {
        using var session = new InferenceSession(model);
        return Run(session, inputs);
    }

    public static Dictionary<string, OrtResult> Run(InferenceSession session, params (string Name, float[] Data, long[] Shape)[] inputs)
    {
        var values = inputs.Select(i => OrtValue.CreateTensorValueFromMemory(i.Data, i.Shape)).ToArray();
        try
        {
            var feed = new Dictionary<string, OrtValue>(StringComparer.Ordinal);
            for (var k = 0; k < inputs.Length; k++) feed[inputs[k].Name] = values[k];
            using var runOptions = new RunOptions();
            var names = session.OutputNames;
            using var outputs = session.Run(runOptions, feed, names);
            var results = new Dictionary<string, OrtResult>(StringComparer.Ordinal);
            for (var k = 0; k < names.Count; k++)
            {
                var info = outputs[k].GetTensorTypeAndShape();
                results[names[k]] = info.ElementDataType switch
                {
                    TensorElementType.Float => new OrtResult(info.Shape, outputs[k].GetTensorDataAsSpan<float>().ToArray(), []),
                    TensorElementType.Int64 => new OrtResult(info.Shape, [], outputs[k].GetTensorDataAsSpan<long>().ToArray()),
                    var other => throw new InvalidOperationException($"OrtHarness: unexpected output type {other} for '{names[k]}'."),
                };
            }
            return results;
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }
}

/// <summary>Hand-written reference math (double accumulation) to compare ONNX Runtime against.</summary>
internal static class Reference
{
    public static float[] RandomFloats(int seed, int count, float scale = 1f)
    {
        var rng = new Random(seed);
        var data = new float[count];
        for (var i = 0; i < count; i++) data[i] = (rng.NextSingle() * 2f - 1f) * scale;
        return data;
    }

    /// <summary>Y[n,m] = X[n,k] · W[m,k]ᵀ + B[m] (Gemm with transB = 1).</summary>
    public static float[] Linear(float[] x, int n, int k, float[] w, float[] b, int m)
    {
        var y = new float[n * m];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < m; j++)
            {
                double sum = b[j];
                for (var p = 0; p < k; p++) sum += (double)x[i * k + p] * w[j * k + p];
                y[i * m + j] = (float)sum;
            }
        }
        return y;
    }

    public static float[] Map(float[] x, Func<double, double> f) => [.. x.Select(v => (float)f(v))];

    public static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));

    public static void AssertClose(float[] expected, float[] actual, double tolerance = 1e-6)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs((double)expected[i] - actual[i]));
        Assert.True(worst <= tolerance, $"max abs difference {worst:E3} exceeds {tolerance:E1}");
    }
}
