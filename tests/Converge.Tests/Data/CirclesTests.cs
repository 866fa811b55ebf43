using System.Globalization;
using Converge.Data;

namespace Converge.Tests.Data;

// References in TestData/circles (see its README): scikit-learn 1.2.1 make_circles output and
// glibc cos/sin values from Python. Comparisons are exact (bit equality): the generator is a port
// of the same algorithm, and on Linux .NET's Math.Cos/Math.Sin call the same C library.
public class CirclesTests
{
    private static string[][] ReadCsv(string name, string header)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "circles", name));
        Assert.Equal(header, lines[0]);
        return [.. lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))];
    }

    private static double Parse(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static void AssertSameAsSklearn(string file, (double[] X, float[] Labels) generated)
    {
        var rows = ReadCsv(file, "x1,x2,label");
        Assert.Equal(rows.Length, generated.Labels.Length);
        Assert.Equal(2 * rows.Length, generated.X.Length);
        var mismatches = new List<string>();
        for (var r = 0; r < rows.Length; r++)
        {
            for (var c = 0; c < 2; c++)
            {
                var expected = Parse(rows[r][c]);
                if (BitConverter.DoubleToInt64Bits(expected) != BitConverter.DoubleToInt64Bits(generated.X[2 * r + c]))
                    mismatches.Add($"row {r} x{c + 1}: expected {expected:R}, got {generated.X[2 * r + c]:R}");
            }
            Assert.Equal(float.Parse(rows[r][2], CultureInfo.InvariantCulture), generated.Labels[r]);
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} coordinates differ: {string.Join("; ", mismatches.Take(5))}");
    }

    [Fact]
    public void Math_Cos_and_Sin_match_the_C_library_values_sklearn_used()
    {
        var step = 2.0 * Math.PI / 250;
        var rows = ReadCsv("angles-250.csv", "i,cos,sin");
        Assert.Equal(250, rows.Length);
        foreach (var row in rows)
        {
            var i = int.Parse(row[0], CultureInfo.InvariantCulture);
            Assert.Equal(Parse(row[1]), Math.Cos(i * step));
            Assert.Equal(Parse(row[2]), Math.Sin(i * step));
        }
    }

    [Fact]
    public void Default_call_reproduces_sklearn_circles_500_bit_for_bit()
    {
        AssertSameAsSklearn("circles-500.csv", BuiltInData.Circles());
    }

    [Fact]
    public void Odd_sample_count_other_seed_noise_and_factor_reproduce_sklearn_bit_for_bit()
    {
        AssertSameAsSklearn("circles-101-noise0.05-factor0.5-seed7.csv", BuiltInData.Circles(samples: 101, noise: 0.05, factor: 0.5, seed: 7));
    }

    [Fact]
    public void Without_noise_points_lie_exactly_on_the_two_circles_with_half_of_each_label()
    {
        var (x, y) = BuiltInData.Circles(samples: 11, noise: 0, factor: 0.3, seed: 1);
        Assert.Equal(5, y.Count(v => v == 0f));
        Assert.Equal(6, y.Count(v => v == 1f));
        for (var r = 0; r < y.Length; r++)
        {
            var radius = Math.Sqrt(x[2 * r] * x[2 * r] + x[2 * r + 1] * x[2 * r + 1]);
            Assert.Equal(y[r] == 1f ? 0.3 : 1.0, radius, 1e-12);
        }
    }

    [Fact]
    public void CirclesCsv_round_trips_the_generated_values()
    {
        var (x, y) = BuiltInData.Circles(samples: 40, seed: 5);
        var lines = BuiltInData.CirclesCsv(samples: 40, seed: 5).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("x1,x2,label", lines[0]);
        Assert.Equal(41, lines.Length);
        for (var r = 0; r < 40; r++)
        {
            var f = lines[r + 1].Split(',');
            Assert.Equal(x[2 * r], Parse(f[0]));
            Assert.Equal(x[2 * r + 1], Parse(f[1]));
            Assert.Equal(y[r], Parse(f[2]));
        }
    }

    [Fact]
    public void Invalid_arguments_name_the_value()
    {
        Assert.Contains("got 1", Assert.Throws<ArgumentOutOfRangeException>(() => BuiltInData.Circles(factor: 1)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => BuiltInData.Circles(samples: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BuiltInData.Circles(noise: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BuiltInData.Circles(seed: -1));
    }
}
