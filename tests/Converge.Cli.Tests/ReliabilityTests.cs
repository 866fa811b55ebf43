using System.Diagnostics;
using Converge.Persistence;

namespace Converge.Cli.Tests;

/// <summary>Issue 13's reproductions through the CLI: one "error:" line and exit 2, never a wrong answer or a clobbered file.</summary>
public sealed class ReliabilityTests : IClassFixture<TrainedModel>, IDisposable
{
    private readonly TrainedModel _model;
    private readonly TempDirectory _dir = new();

    public ReliabilityTests(TrainedModel model) => _model = model;

    public void Dispose() => _dir.Dispose();

    private string Rows(string name, Func<string[], string[]> edit)
    {
        var lines = File.ReadAllLines(Cli.TestData("tumors.csv"));
        return _dir.Write(name, string.Join("\n", [lines[0], .. edit(lines[1..])]) + "\n");
    }

    [Fact]
    public void Item1_a_stray_quote_is_an_error_not_fewer_predictions()
    {
        var data = Rows("q.csv", rows => [rows[0], rows[1].Replace("S1001", "S10\"01", StringComparison.Ordinal), rows[2], rows[3].Replace("S1003", "S1\"003", StringComparison.Ordinal), rows[4]]);
        Cli.AssertUserError(Cli.Run("predict", _model.Path, data), "line 3", "sample_id", "quote");
        Cli.AssertUserError(Cli.Run("train", data, "-l", "diagnosis", "--out", _dir.File("m.safetensors"), "--no-plot", "-q"), "line 3");
    }

    [Theory]
    [InlineData("1e39")]
    [InlineData("-1e39")]
    [InlineData("1e300")]
    public void Item4_values_outside_float32_are_errors_in_every_command(string value)
    {
        // Row 6 (line 7): worst_area, the sixth field, becomes the value.
        var data = Rows("big.csv", rows => [.. rows.Select((r, i) => i == 5 ? string.Join(',', r.Split(',').Select((f, k) => k == 5 ? value : f)) : r)]);
        var edited = File.ReadAllLines(data)[6];
        Assert.Contains(value, edited, StringComparison.Ordinal);
        Cli.AssertUserError(Cli.Run("predict", _model.Path, data), "line 7", value);
        Cli.AssertUserError(Cli.Run("evaluate", _model.Path, data), "line 7");
        Cli.AssertUserError(Cli.Run("train", data, "-l", "diagnosis", "--out", _dir.File("m.safetensors"), "--no-plot", "-q"), "line 7");
    }

    [Fact]
    public void Item3_huge_hidden_widths_are_a_user_error()
    {
        Cli.AssertUserError(Cli.Run("train", Cli.TestData("tumors.csv"), "-l", "diagnosis", "--hidden", "50000,50000", "--out", _dir.File("m.safetensors"), "--no-plot", "-q"), "--hidden");
    }

    [Fact]
    public void Item5_outputs_that_are_inputs_are_refused_and_left_untouched()
    {
        var data = _dir.Write("d.csv", File.ReadAllText(Cli.TestData("tumors.csv")));
        var before = File.ReadAllBytes(data);
        Cli.AssertUserError(Cli.Run("train", data, "-l", "diagnosis", "--out", data, "-q"), "--out", "the data");
        Cli.AssertUserError(Cli.Run("train", data, "-l", "diagnosis", "--out", _dir.File("m.safetensors"), "--plot", Path.Combine(_dir.Path, ".", "d.csv"), "-q"), "--plot");
        Cli.AssertUserError(Cli.Run("train", data, "-l", "diagnosis", "--out", _dir.File("m.safetensors"), "--plot", _dir.File("m.safetensors"), "-q"), "--plot");
        Assert.Equal(before, File.ReadAllBytes(data));

        var model = _dir.File("copy.safetensors");
        File.Copy(_model.Path, model);
        var modelBytes = File.ReadAllBytes(model);
        Cli.AssertUserError(Cli.Run("predict", model, data, "--output", model), "--output", "the model");
        // A symlink to the data is the data.
        var link = _dir.File("link.csv");
        File.CreateSymbolicLink(link, data);
        Cli.AssertUserError(Cli.Run("predict", model, data, "--output", link), "--output", "the data");
        Assert.Equal(modelBytes, File.ReadAllBytes(model));
        Assert.Equal(before, File.ReadAllBytes(data));
    }

    [Fact]
    public void Item5_a_device_is_refused_as_an_output()
    {
        if (!OperatingSystem.IsLinux()) return;
        Cli.AssertUserError(Cli.Run("predict", _model.Path, Cli.TestData("tumors.csv"), "--output", "/dev/null"), "--output", "device");
        Assert.Equal(FileKind.Special, FileIdentity.KindOf("/dev/null"));
    }

    [Fact]
    public void Item5_a_symlink_output_is_written_through_and_kept()
    {
        var real = _dir.Write("real.csv", "old");
        var link = _dir.File("out.csv");
        File.CreateSymbolicLink(link, real);
        Assert.Equal(0, Cli.Run("predict", _model.Path, Cli.TestData("tumors.csv"), "--output", link).Code);
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.StartsWith("probability,label,class", File.ReadAllText(real), StringComparison.Ordinal);
    }

    [Fact]
    public void Item9_a_fifo_as_the_model_is_refused_without_blocking()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/mkfifo")) return;
        var fifo = _dir.File("model.fifo");
        using (var mk = Process.Start("/usr/bin/mkfifo", [fifo])) mk.WaitForExit();
        Cli.AssertUserError(Cli.Run("inspect", fifo), "FIFO");
        Cli.AssertUserError(Cli.Run("predict", _model.Path, Cli.TestData("tumors.csv"), "--output", fifo), "FIFO");
    }

    [Fact]
    public void Item9_a_failed_write_leaves_no_temporary_file_and_names_the_target()
    {
        var bad = _dir.Write("bad.csv", File.ReadAllText(Cli.TestData("tumors.csv")).Replace("17.99", "abc", StringComparison.Ordinal));
        var output = _dir.File("p.csv");
        // Rows before the bad one are already written to the temporary file when the error stops the run.
        Cli.AssertUserError(Cli.Run("predict", _model.Path, bad, "--output", output), "abc");
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(_dir.Path, ".*.tmp"));
        // The registry is process-wide: tests running alongside may have writes of their own in flight.
        Assert.DoesNotContain(AtomicFile.PendingTemporaryFiles, p => p.StartsWith(_dir.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void Item9_a_temporary_file_left_by_a_killed_process_is_removed_by_the_next_write()
    {
        var target = _dir.File("m.csv");
        // PID 2^22+1 is above Linux's pid_max default, so no process owns it.
        var stale = _dir.Write(".m.csv.4194305.0123456789abcdef0123456789abcdef.tmp", "partial");
        AtomicFile.WriteText(target, w => w.Write("new"));
        Assert.False(File.Exists(stale));
        Assert.Equal("new", File.ReadAllText(target));
    }
}
