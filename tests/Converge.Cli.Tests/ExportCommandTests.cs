using Converge.Data;
using Converge.Export;
using Converge.Training;
using Microsoft.ML.OnnxRuntime;

namespace Converge.Cli.Tests;

public sealed class ExportCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("converge-export-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (int Code, string Out, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = ConvergeApp.Run(args, output, error, interactive: false);
        return (code, output.ToString(), error.ToString());
    }

    private string SaveHeartRateModel()
    {
        var table = CsvTable.Read(new StringReader(BuiltInData.HeartRateCsv()), "hr.csv");
        var training = new TrainingOptions { Hidden = [4], Epochs = 3, MonitorEvery = 0 };
        var model = BinaryClassifier.Fit(table, new ClassifierOptions { Label = "label", Training = training }).Classifier;
        var path = Path.Combine(_directory, "hr.safetensors");
        model.Save(path);
        return path;
    }

    [Fact]
    public void Export_writes_a_model_onnx_runtime_loads_and_prints_the_layout()
    {
        var modelPath = SaveHeartRateModel();
        var onnxPath = Path.Combine(_directory, "hr.onnx");
        var (code, output, error) = Run("export", modelPath, "--onnx", onnxPath);

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains(onnxPath, output, StringComparison.Ordinal);
        Assert.Contains("[0] bpm: number", output, StringComparison.Ordinal);
        using var session = new InferenceSession(onnxPath);
        Assert.Equal([-1, 1], session.InputMetadata[OnnxExporter.InputName].Dimensions);
        Assert.Equal([OnnxExporter.ProbabilityOutput, OnnxExporter.LabelOutput], session.OutputNames);

        float[] bpm = [60f, 120f, float.NaN];
        using var input = OrtValue.CreateTensorValueFromMemory(bpm, [3, 1]);
        using var results = session.Run(new RunOptions(), [OnnxExporter.InputName], [input], session.OutputNames);
        var expected = BinaryClassifier.Load(modelPath).PredictProbabilities(
            CsvTable.FromColumns("rows", ["bpm"], [["60", "120", null]]));
        var actual = results[0].GetTensorDataAsSpan<float>().ToArray();
        for (var i = 0; i < bpm.Length; i++) Assert.InRange(actual[i] - expected[i], -1e-5f, 1e-5f);
    }

    [Fact]
    public void Without_onnx_the_file_goes_next_to_the_model()
    {
        var modelPath = SaveHeartRateModel();
        var (code, _, error) = Run("export", modelPath);
        Assert.True(code == ExitCodes.Ok, error);
        Assert.True(File.Exists(Path.ChangeExtension(modelPath, ".onnx")));
    }

    [Fact]
    public void A_missing_model_is_one_error_line_and_exit_code_2()
    {
        var onnxPath = Path.Combine(_directory, "out.onnx");
        var (code, output, error) = Run("export", Path.Combine(_directory, "nope.safetensors"), "--onnx", onnxPath);
        Assert.Equal(ExitCodes.UsageOrInput, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("nope.safetensors", error, StringComparison.Ordinal);
        Assert.Equal("", output);
        Assert.False(File.Exists(onnxPath));
    }

    [Fact]
    public void A_file_that_is_not_a_model_is_exit_code_2()
    {
        var bogus = Path.Combine(_directory, "bogus.safetensors");
        File.WriteAllText(bogus, "not a model");
        var (code, _, error) = Run("export", bogus, "--onnx", Path.Combine(_directory, "out.onnx"));
        Assert.Equal(ExitCodes.UsageOrInput, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
    }
}
