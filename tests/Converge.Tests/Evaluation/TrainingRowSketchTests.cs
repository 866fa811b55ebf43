using System.Text.Json;
using System.Text.Json.Nodes;
using Converge.Evaluation;
using Converge.Persistence;

namespace Converge.Tests.Evaluation;

public sealed class TrainingRowSketchTests
{
    private static float[] Rows(int rows, int cols, int offset) =>
        [.. Enumerable.Range(0, rows * cols).Select(i => (float)((i / cols) + offset) + (i % cols) * 0.5f)];

    [Fact]
    public void Small_tables_are_kept_whole_and_every_row_is_checked()
    {
        var sketch = TrainingRowSketch.Build(Rows(100, 3, 0), 100, 3);
        Assert.Equal(1, sketch.SampleRate);
        var matcher = sketch.CreateMatcher();
        var mixed = Rows(50, 3, 75);    // rows 75–99 trained on, 100–124 not
        for (var r = 0; r < 50; r++) matcher.Add(mixed.AsSpan(r * 3, 3));
        Assert.Equal(50, matcher.Checked);
        Assert.Equal(25, matcher.Found);
    }

    [Fact]
    public void Large_tables_are_sampled_and_the_share_is_estimated()
    {
        const int rows = 100_000;
        var sketch = TrainingRowSketch.Build(Rows(rows, 2, 0), rows, 2);
        Assert.Equal(32, sketch.SampleRate);
        Assert.True(sketch.Fingerprints.Length < 4 * 4096 * 4 / 3 + 4);
        var matcher = sketch.CreateMatcher();
        var other = Rows(rows, 2, rows / 2);   // half of these are training rows
        for (var r = 0; r < rows; r++) matcher.Add(other.AsSpan(r * 2, 2));
        Assert.InRange(matcher.Checked, rows / 32 * 0.9, rows / 32 * 1.1);
        Assert.InRange((double)matcher.Found / matcher.Checked, 0.45, 0.55);
    }

    [Fact]
    public void Negative_zero_is_zero_and_a_changed_value_is_another_row()
    {
        Assert.Equal(TrainingRowSketch.Hash([0f, 1f]), TrainingRowSketch.Hash([-0f, 1f]));
        Assert.NotEqual(TrainingRowSketch.Hash([0f, 1f]), TrainingRowSketch.Hash([1f, 0f]));
    }

    [Fact]
    public void A_training_summary_from_before_the_sketch_still_loads()
    {
        var summary = new TrainingSummary("2026-01-01T00:00:00Z", "1.0.0", new Dictionary<string, string>(), 1, 0, 1, 1, "Completed", 0.1, [0.5], [], new Dictionary<string, double>(),
            TrainingRows: TrainingRowSketch.Build([1f], 1, 1));
        var json = JsonNode.Parse(JsonSerializer.Serialize(summary, ModelJsonContext.Default.TrainingSummary))!.AsObject();
        Assert.True(json.Remove(nameof(TrainingSummary.TrainingRows)));
        var old = JsonSerializer.Deserialize(json.ToJsonString(), ModelJsonContext.Default.TrainingSummary)!;
        Assert.Null(old.TrainingRows);
        Assert.Equal(1, old.TrainRows);
    }
}
