using System.CommandLine;
using Converge.Cli.Output;
using System.Globalization;
using Converge.Export;

namespace Converge.Cli.Commands;

/// <summary><c>converge export MODEL --onnx model.onnx</c>: writes the model as ONNX and prints its input layout.</summary>
public static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Argument<string>("MODEL") { Description = "A model file written by 'converge train'." };
        var onnx = new Option<string?>("--onnx") { Description = "Where to write the ONNX model (default: MODEL with the extension .onnx)." };
        var command = new Command("export", "Export a model to ONNX (opset 13) so it runs wherever ONNX Runtime does; prints the input layout.");
        command.Arguments.Add(model);
        command.Options.Add(onnx);
        ConvergeApp.SetGuardedAction(command, context, parse =>
        {
            var modelPath = parse.GetValue(model)!;
            var onnxPath = parse.GetValue(onnx) ?? Path.ChangeExtension(modelPath, ".onnx");
            if (string.Equals(Path.GetFullPath(onnxPath), Path.GetFullPath(modelPath), StringComparison.Ordinal))
                throw new UserError($"the ONNX file would overwrite the model '{modelPath}'; choose another path with --onnx.");
            OutputPaths.CheckWritable("--onnx", onnxPath, ("the model", modelPath));
            var classifier = BinaryClassifier.Load(modelPath);
            try
            {
                OnnxExporter.Export(classifier, onnxPath);
            }
            catch (OnnxExportException e)
            {
                throw new UserError($"cannot export '{modelPath}' to ONNX: {e.Message}", e);
            }
            Write(context.Out, classifier, modelPath, onnxPath);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Write(TextWriter o, BinaryClassifier classifier, string modelPath, string onnxPath)
    {
        var layout = OnnxInputLayout.For(classifier);
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(inv, $"exported {modelPath} → {onnxPath} ({new FileInfo(onnxPath).Length} bytes, ONNX opset 13)"));
        o.WriteLine(string.Create(inv, $"network: {classifier.Architecture}"));
        o.WriteLine(string.Create(inv, $"input '{OnnxExporter.InputName}': float [batch, {layout.Width}], one value per column:"));
        foreach (var line in layout.Describe()) o.WriteLine($"  {line}");
        o.WriteLine("  missing value → NaN (imputed in the graph)");
        o.WriteLine(string.Create(inv, $"outputs: '{OnnxExporter.ProbabilityOutput}' float [batch, 1] = P({classifier.Label.Column} = {classifier.Label.Positive}); "
            + $"'{OnnxExporter.LabelOutput}' int64 [batch, 1] = 1 when probability ≥ {classifier.Threshold:G6}"));
    }
}
