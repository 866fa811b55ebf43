using System.Text.Json;
using Converge.Data;

namespace Converge.Tests.Data;

// Reference values: TestData/vectors/statistics.json (torch 1.13 float64, sklearn 1.2.1).
// Tolerance: all arithmetic is double, so 1e-12 relative; torch and numpy sum in a different
// order (their hr32 means differ in the last digit), so bit equality is not expected.
public class StatisticsTests
{
    private const double Relative = 1e-12;

    private static JsonElement Vectors()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "vectors", "statistics.json");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
    }

    private static double[] Hr32() => [.. Vectors().GetProperty("hr32").GetProperty("values").EnumerateArray().Select(v => v.GetDouble())];

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= Relative * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void Hr32_matches_torch_mean_std_and_var()
    {
        var hr32 = Vectors().GetProperty("hr32");
        var x = Hr32();
        AssertClose(hr32.GetProperty("torch_mean").GetDouble(), Statistics.Mean(x));
        AssertClose(hr32.GetProperty("torch_std_default").GetDouble(), Statistics.Std(x));
        AssertClose(hr32.GetProperty("torch_std_unbiased_false").GetDouble(), Statistics.Std(x, unbiased: false));
        AssertClose(hr32.GetProperty("torch_var_default").GetDouble(), Statistics.Variance(x));
        AssertClose(hr32.GetProperty("sklearn_var_").GetDouble(), Statistics.Variance(x, unbiased: false));
    }

    [Fact]
    public void Full_heart_rate_series_matches_torch()
    {
        var full = Vectors().GetProperty("hr11839_full");
        var x = BuiltInData.HeartRate();
        Assert.Equal(full.GetProperty("n").GetInt32(), x.Length);
        AssertClose(full.GetProperty("mean").GetDouble(), Statistics.Mean(x));
        AssertClose(full.GetProperty("std_unbiased").GetDouble(), Statistics.Std(x));
        AssertClose(full.GetProperty("std_biased").GetDouble(), Statistics.Std(x, unbiased: false));
    }

    [Fact]
    public void Single_element_unbiased_std_is_NaN_like_torch_and_biased_is_zero()
    {
        Assert.Equal("NaN", Vectors().GetProperty("single_element_std_default").GetString());
        Assert.True(double.IsNaN(Statistics.Std([3.5])));
        Assert.True(double.IsNaN(Statistics.Variance([3.5f])));
        Assert.Equal(0.0, Statistics.Std([3.5], unbiased: false));
    }

    [Fact]
    public void Empty_input_gives_NaN()
    {
        Assert.True(double.IsNaN(Statistics.Mean(ReadOnlySpan<double>.Empty)));
        Assert.True(double.IsNaN(Statistics.Variance(ReadOnlySpan<float>.Empty, unbiased: false)));
    }

    [Fact]
    public void Float_overloads_accumulate_in_double_exactly_like_the_widened_values()
    {
        var f = Hr32().Select(v => (float)v).ToArray();
        var widened = f.Select(v => (double)v).ToArray();
        Assert.Equal(Statistics.Mean(widened), Statistics.Mean(f));
        Assert.Equal(Statistics.Variance(widened), Statistics.Variance(f));
        Assert.Equal(Statistics.Std(widened, unbiased: false), Statistics.Std(f, unbiased: false));
        // Float accumulation would lose this: 2^24 + 1 is not a float, but the double sum keeps it.
        Assert.Equal((16777216.0 + 1.0) / 2, Statistics.Mean([16777216f, 1f]));
    }

    [Fact]
    public void Column_versions_equal_the_scalar_versions_per_column()
    {
        var a = Hr32();
        const int Rows = 32, Cols = 3;
        var matrix = new float[Rows * Cols];
        for (var r = 0; r < Rows; r++)
        {
            matrix[r * Cols] = (float)a[r];
            matrix[r * Cols + 1] = (float)(a[Rows - 1 - r] * 0.01);
            matrix[r * Cols + 2] = -7f;
        }
        var means = Statistics.ColumnMeans(matrix, Rows, Cols);
        var variances = Statistics.ColumnVariances(matrix, Rows, Cols);
        var stds = Statistics.ColumnStds(matrix, Rows, Cols, unbiased: false);
        for (var c = 0; c < Cols; c++)
        {
            var column = Enumerable.Range(0, Rows).Select(r => matrix[r * Cols + c]).ToArray();
            Assert.Equal(Statistics.Mean(column), means[c]);
            Assert.Equal(Statistics.Variance(column), variances[c]);
            Assert.Equal(Statistics.Std(column, unbiased: false), stds[c]);
        }
        Assert.Equal(0.0, variances[2]);
        var doubles = Statistics.ColumnStds(a, Rows, 1);
        AssertClose(Vectors().GetProperty("hr32").GetProperty("torch_std_default").GetDouble(), doubles[0]);
    }

    [Fact]
    public void Shape_mismatch_names_the_shape_and_length()
    {
        var ex = Assert.Throws<ArgumentException>(() => Statistics.ColumnMeans(new float[5], 2, 3));
        Assert.Contains("[2, 3]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("got 5", ex.Message, StringComparison.Ordinal);
    }
}
