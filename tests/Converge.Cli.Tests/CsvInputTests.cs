namespace Converge.Cli.Tests;

/// <summary>Standard input as '-', encodings and decimal commas, through the commands.</summary>
public sealed class CsvInputTests
{
    [Fact]
    public void A_european_excel_export_trains_on_its_income_with_notices()
    {
        using var dir = new TempDirectory();
        var model = dir.File("credit.safetensors");
        var (code, output, error) = Cli.Run("train", Cli.TestData("excel-export-cp1252.csv"), "--label", "Kredit", "--ignore", "Kunde",
            "--out", model, "--no-plot", "--epochs", "20", "--no-diagnosis", "--json");
        Assert.True(code == 0, error);
        var json = Cli.ParseSingleObject(output);
        var notices = json.GetProperty("notices").EnumerateArray().Select(n => n.GetString()!).ToList();
        Assert.Contains(notices, n => n.Contains("Windows-1252", StringComparison.Ordinal));
        Assert.Contains(notices, n => n.Contains("decimal comma in 'Einkommen'", StringComparison.Ordinal));
        Assert.DoesNotContain(notices, n => n.Contains("'Einkommen'", StringComparison.Ordinal) && n.Contains("dropped", StringComparison.OrdinalIgnoreCase));
        var inspect = Cli.Run("inspect", model, "--json");
        Assert.Contains("Einkommen", inspect.Out, StringComparison.Ordinal);
        Assert.Contains("cafè", inspect.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Standard_input_is_read_for_a_dash_by_train_predict_and_evaluate()
    {
        using var dir = new TempDirectory();
        var model = dir.File("m.safetensors");
        var data = File.ReadAllBytes(Cli.TestData("tumors.csv"));
        var train = Cli.RunWithInput(data, "train", "-", "--label", "diagnosis", "--ignore", "sample_id", "--out", model, "--epochs", "5", "--no-diagnosis", "-q");
        Assert.True(train.Code == 0, train.Err);
        Assert.True(File.Exists(dir.File("m.loss.png")));

        var predict = Cli.RunWithInput(data, "predict", model, "-");
        Assert.True(predict.Code == 0, predict.Err);
        Assert.Equal(File.ReadAllLines(Cli.TestData("tumors.csv")).Length, Cli.ReadCsv(predict.Out).Count);

        var evaluate = Cli.RunWithInput(data, "evaluate", model, "-", "--json");
        Assert.True(evaluate.Code == 0, evaluate.Err);
        Assert.Equal(160, Cli.ParseSingleObject(evaluate.Out).GetProperty("rows").GetInt32());
    }

    [Fact]
    public void A_bad_line_on_standard_input_is_named_as_such()
    {
        var result = Cli.RunWithInput("a,b\n1,2\n3\n"u8.ToArray(), "train", "-", "--label", "b");
        Cli.AssertUserError(result, "standard input, line 3");
    }

    [Fact]
    public void Encoding_names_are_checked()
    {
        Cli.AssertUserError(Cli.Run("train", Cli.TestData("tumors.csv"), "--label", "diagnosis", "--encoding", "ebcdic"), "--encoding", "'ebcdic'");
        var strict = Cli.Run("train", Cli.TestData("excel-export-cp1252.csv"), "--label", "Kredit", "--encoding", "utf-8");
        Cli.AssertUserError(strict, "excel-export-cp1252.csv, line", "not valid UTF-8");
    }
}
