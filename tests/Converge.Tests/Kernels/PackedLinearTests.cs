using Converge.Kernels;

namespace Converge.Tests.Kernels;

/// <summary>
/// The predictor's fused Linear (+ bias, + ReLU) on prepacked weights against a double-precision
/// loop, on every register path and odd shapes: widths that are not a multiple of the panel, a depth
/// spanning two 256-deep blocks, an input stride wider than the input, NaN and negative inputs.
/// </summary>
public class PackedLinearTests
{
    public static TheoryData<string, int, int, int, bool> Cases()
    {
        var data = new TheoryData<string, int, int, int, bool>();
        foreach (var path in new[] { GemmPath.Scalar, GemmPath.Vector128, GemmPath.Vector256, GemmPath.Vector512 })
            foreach (var (rows, outF, inF) in new[] { (6, 1, 1), (12, 37, 5), (18, 256, 32), (30, 17, 300), (6, 3, 0) })
                foreach (var relu in new[] { false, true })
                    data.Add(path.ToString(), rows, outF, inF, relu);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Apply_matches_a_double_precision_loop(string pathName, int rows, int outF, int inF, bool relu)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        var random = new Random((rows * 7) + outF + inF);
        var weight = Enumerable.Range(0, outF * inF).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var bias = Enumerable.Range(0, outF).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var packed = new PackedLinear(weight, bias, outF, inF, path);
        Assert.Equal(0, packed.PaddedWidth % packed.PanelWidth);
        var ldx = inF + 3;   // wider than the input, as after a padded layer
        var x = Enumerable.Range(0, rows * ldx).Select(_ => (float)((random.NextDouble() - 0.5) * 4)).ToArray();
        if (inF > 0) x[ldx + 1 - 1] = float.NaN;   // row 1 is NaN throughout (NaN · w propagates)
        var y = Enumerable.Repeat(123f, rows * packed.PaddedWidth).ToArray();
        packed.Apply(x, ldx, rows, y, relu);
        for (var r = 0; r < rows; r++)
            for (var o = 0; o < outF; o++)
            {
                double sum = bias[o], magnitude = Math.Abs(bias[o]);
                for (var i = 0; i < inF; i++)
                {
                    sum += (double)x[(r * ldx) + i] * weight[(o * inF) + i];
                    magnitude += Math.Abs((double)x[(r * ldx) + i] * weight[(o * inF) + i]);
                }
                var expected = relu && sum < 0 ? 0 : sum;
                var actual = y[(r * packed.PaddedWidth) + o];
                if (double.IsNaN(sum))
                {
                    Assert.True(float.IsNaN(actual), $"{path}: Y[{r},{o}] = {actual}, expected NaN");
                    continue;
                }
                Assert.True(Math.Abs(actual - expected) <= (1e-6 * Math.Sqrt(Math.Max(inF, 1)) * magnitude) + 1e-7,
                    $"{path}: Y[{r},{o}] = {actual}, expected {expected}");
            }
        for (var r = 0; r < rows; r++)
            for (var o = outF; o < packed.PaddedWidth; o++)
                if (!(r == 1 && inF > 0)) Assert.Equal(0f, y[(r * packed.PaddedWidth) + o]);   // zero weights and bias: act(0) = 0
    }

    [Fact]
    public void Rows_must_fill_whole_tiles_and_spans_must_hold_them()
    {
        var packed = new PackedLinear(new float[4], new float[2], 2, 2, GemmPath.Scalar);
        Assert.Throws<ArgumentException>(() => packed.Apply(new float[64], 2, 5, new float[64], relu: false));
        Assert.Throws<ArgumentException>(() => packed.Apply(new float[11], 2, 6, new float[64], relu: false));
    }
}
