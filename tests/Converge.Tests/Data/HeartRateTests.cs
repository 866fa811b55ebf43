using System.Globalization;
using Converge.Data;

namespace Converge.Tests.Data;

// Expected facts come from the data's README (computed independently with Python's stats.py)
// and from TestData/vectors/statistics.json (hr32 = the first 32 values).
public class HeartRateTests
{
    [Fact]
    public void Series_has_1800_values_with_the_documented_range()
    {
        var bpm = BuiltInData.HeartRate();
        Assert.Equal(1800, bpm.Length);
        Assert.Equal(73.4366, bpm.Min());
        Assert.Equal(106.756, bpm.Max());
        Assert.Equal(84.2697, bpm[0]);
        Assert.Equal(98.8567, bpm[^1]);
    }

    [Fact]
    public void First_32_values_are_the_reference_hr32()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "vectors", "statistics.json")));
        var hr32 = doc.RootElement.GetProperty("hr32").GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(hr32, BuiltInData.HeartRate().Take(32));
    }

    [Fact]
    public void Labels_use_strict_greater_than_91_giving_1053_positives()
    {
        var bpm = BuiltInData.HeartRate();
        var y = BuiltInData.HeartRateLabels();
        Assert.Equal(1053, y.Count(v => v == 1f));
        Assert.Equal(747, y.Count(v => v == 0f));
        Assert.Equal(0f, y[Array.IndexOf(bpm, 90.999)]);
        Assert.Equal(1f, y[Array.IndexOf(bpm, 91.0023)]);
        // First 32: 13 negatives then 19 positives (reference vectors README).
        Assert.Equal(Enumerable.Repeat(0f, 13).Concat(Enumerable.Repeat(1f, 19)), y.Take(32));
    }

    [Fact]
    public void Custom_threshold_is_strict_too()
    {
        var bpm = BuiltInData.HeartRate();
        var y = BuiltInData.HeartRateLabels(threshold: 84.2697);
        Assert.Equal(0f, y[0]);
        Assert.Equal(bpm.Count(v => v > 84.2697), (int)y.Sum());
    }

    [Fact]
    public void Returned_arrays_are_copies()
    {
        var first = BuiltInData.HeartRate();
        first[0] = -1;
        Assert.Equal(84.2697, BuiltInData.HeartRate()[0]);
    }

    [Fact]
    public void HeartRateCsv_holds_bpm_and_label_columns_that_parse_back()
    {
        var lines = BuiltInData.HeartRateCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("bpm,label", lines[0]);
        Assert.Equal(1801, lines.Length);
        var bpm = BuiltInData.HeartRate();
        var y = BuiltInData.HeartRateLabels();
        for (var i = 0; i < bpm.Length; i++)
        {
            var f = lines[i + 1].Split(',');
            Assert.Equal(bpm[i], double.Parse(f[0], CultureInfo.InvariantCulture));
            Assert.Equal(y[i], float.Parse(f[1], CultureInfo.InvariantCulture));
        }
        Assert.Equal("92,1", lines.Skip(1).First(l => l.StartsWith("92,", StringComparison.Ordinal)));
    }
}
