using System.Text.Json;
using Converge.Data;

namespace Converge.Tests.Data;

// Reference values: TestData/vectors/statistics.json (sklearn 1.2.1 StandardScaler, torch 1.13).
// Tolerances: fitted statistics are double arithmetic on double input → 1e-12 relative.
// Transform writes float32; hr32 values rounded to float32 are off by up to 3.8e-6 (half an ulp
// at 84–99), which after dividing by scale 5.28 plus the output rounding stays below 1e-6 absolute.
public class StandardScalerTests
{
    private const double Relative = 1e-12;
    private const double FloatAbsolute = 1e-6;

    private static JsonElement Vectors()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "vectors", "statistics.json");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
    }

    private static double[] Doubles(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetDouble())];

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= Relative * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void Hr32_fit_matches_sklearn_mean_var_scale()
    {
        var hr32 = Vectors().GetProperty("hr32");
        var x = Doubles(hr32.GetProperty("values"));
        var scaler = StandardScaler.Fit(x, x.Length, 1);
        AssertClose(hr32.GetProperty("sklearn_mean_").GetDouble(), scaler.Mean[0]);
        AssertClose(hr32.GetProperty("sklearn_scale_").GetDouble(), scaler.Scale[0]);
        AssertClose(hr32.GetProperty("sklearn_var_").GetDouble(), scaler.Scale[0] * scaler.Scale[0]);
    }

    [Fact]
    public void Hr32_float_transform_matches_sklearn_within_float_rounding()
    {
        var hr32 = Vectors().GetProperty("hr32");
        var x = Doubles(hr32.GetProperty("values")).Select(v => (float)v).ToArray();
        var expected = Doubles(hr32.GetProperty("sklearn_transform"));
        var scaler = StandardScaler.Fit(x, x.Length, 1);
        scaler.Transform(x);
        for (var i = 0; i < x.Length; i++)
            Assert.True(Math.Abs(expected[i] - x[i]) <= FloatAbsolute, $"row {i}: expected {expected[i]:R}, got {x[i]:R}");
    }

    [Fact]
    public void Unbiased_option_is_the_torch_std_recipe()
    {
        var hr32 = Vectors().GetProperty("hr32");
        var x = Doubles(hr32.GetProperty("values"));
        var scaler = StandardScaler.Fit(x, x.Length, 1, unbiased: true);
        AssertClose(hr32.GetProperty("torch_mean").GetDouble(), scaler.Mean[0]);
        AssertClose(hr32.GetProperty("torch_std_default").GetDouble(), scaler.Scale[0]);
    }

    [Fact]
    public void Full_heart_rate_series_scale_is_the_biased_std()
    {
        var full = Vectors().GetProperty("hr11839_full");
        var x = BuiltInData.HeartRate();
        AssertClose(full.GetProperty("std_biased").GetDouble(), StandardScaler.Fit(x, x.Length, 1).Scale[0]);
        AssertClose(full.GetProperty("std_unbiased").GetDouble(), StandardScaler.Fit(x, x.Length, 1, unbiased: true).Scale[0]);
    }

    [Fact]
    public void Constant_column_gets_scale_one_and_transforms_to_zeros_like_sklearn()
    {
        var reference = Vectors().GetProperty("sklearn_constant_column");
        var input = reference.GetProperty("input").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => (float)v.GetDouble())).ToArray();
        var scaler = StandardScaler.Fit(input, 3, 2);
        var mean = Doubles(reference.GetProperty("mean_"));
        var scale = Doubles(reference.GetProperty("scale_"));
        for (var c = 0; c < 2; c++)
        {
            AssertClose(mean[c], scaler.Mean[c]);
            AssertClose(scale[c], scaler.Scale[c]);
        }
        scaler.Transform(input);
        var expected = reference.GetProperty("transform").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray();
        for (var i = 0; i < input.Length; i++)
            Assert.True(Math.Abs(expected[i] - input[i]) <= FloatAbsolute, $"value {i}: expected {expected[i]:R}, got {input[i]:R}");
        Assert.Equal([0f, 0f, 0f], [input[0], input[2], input[4]]);
        // torch's (x − mean)/std on the same constant column gives NaN; the scaler must not.
        Assert.All(Vectors().GetProperty("constant_column_torch_standardize").EnumerateArray(), v => Assert.Equal("NaN", v.GetString()));
        Assert.DoesNotContain(input, float.IsNaN);
    }

    [Fact]
    public void Nearly_constant_column_within_rounding_noise_counts_as_constant()
    {
        // 0.1f ten times: the double mean is not exactly 0.1f, so the variance is rounding noise, not 0.
        var x = Enumerable.Repeat(0.1f, 10).ToArray();
        var scaler = StandardScaler.Fit(x, 10, 1, unbiased: true);
        Assert.Equal(1.0, scaler.Scale[0]);
        scaler.Transform(x);
        Assert.All(x, v => Assert.True(Math.Abs(v) < 1e-15));
    }

    [Fact]
    public void Single_row_gives_scale_one_even_when_unbiased()
    {
        var scaler = StandardScaler.Fit([5f, -2f], 1, 2, unbiased: true);
        Assert.Equal([1.0, 1.0], scaler.Scale);
        Assert.Equal([5.0, -2.0], scaler.Mean);
    }

    [Fact]
    public void InverseTransform_undoes_Transform_within_float_rounding()
    {
        float[] x = [1f, 200f, 3f, 180f, -4f, 260f, 10f, 205f];
        var original = (float[])x.Clone();
        var scaler = StandardScaler.Fit(x, 4, 2);
        scaler.Transform(x);
        Assert.Equal(0.0, Statistics.Mean([x[0], x[2], x[4], x[6]]), 6);
        Assert.Equal(1.0, Statistics.Std([x[1], x[3], x[5], x[7]], unbiased: false), 6);
        scaler.InverseTransform(x);
        for (var i = 0; i < x.Length; i++) Assert.Equal(original[i], x[i], 1e-4f);
    }

    [Fact]
    public void Saved_statistics_rebuild_an_equivalent_scaler()
    {
        float[] data = [1f, 10f, 2f, 30f, 4f, 20f];
        var fitted = StandardScaler.Fit(data, 3, 2);
        var restored = new StandardScaler(fitted.Mean.ToArray(), fitted.Scale.ToArray());
        Assert.Equal(fitted.Mean, restored.Mean);
        Assert.Equal(fitted.Scale, restored.Scale);
        var a = (float[])data.Clone();
        var b = (float[])data.Clone();
        fitted.Transform(a);
        restored.Transform(b);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Invalid_input_is_rejected_with_the_offending_values_named()
    {
        var nan = Assert.Throws<ArgumentException>(() => StandardScaler.Fit([1f, 2f, 3f, float.NaN], 2, 2));
        Assert.Contains("row 1, column 1", nan.Message, StringComparison.Ordinal);
        var zero = Assert.Throws<ArgumentException>(() => new StandardScaler([0.0, 1.0], [1.0, 0.0]));
        Assert.Contains("Scale[1]", zero.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new StandardScaler([0.0], [1.0, 2.0]));
        var width = Assert.Throws<ArgumentException>(() => new StandardScaler([0.0, 0.0], [1.0, 1.0]).Transform(new float[3]));
        Assert.Contains("got 3", width.Message, StringComparison.Ordinal);
    }
}
