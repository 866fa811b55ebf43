using Converge.Data;
using Converge.Export;

namespace Converge.Tests.Export;

public class OnnxInputLayoutTests
{
    private static PreprocessingSpec Spec(MissingPolicy policy = MissingPolicy.Impute)
    {
        ColumnSpec[] columns =
        [
            new() { Name = "id", Kind = ColumnKind.Dropped, Reason = "id" },
            new() { Name = "age", Kind = ColumnKind.Numeric, ImputeValue = 42.5 },
            new() { Name = "color", Kind = ColumnKind.Categorical, Vocabulary = ["blue", "green", "red"], ImputeCategory = "red" },
            new() { Name = "income", Kind = ColumnKind.Numeric, ImputeValue = 0.1 },
        ];
        return new PreprocessingSpec
        {
            Columns = columns,
            Label = new LabelMapping("y", "no", "yes"),
            MissingPolicy = policy,
            FeatureNames = ["age", "color=blue", "color=green", "color=red", "income"],
        };
    }

    [Fact]
    public void Columns_skip_dropped_ones_and_keep_spec_order()
    {
        var layout = OnnxInputLayout.For(Spec());
        Assert.Equal(["age", "color", "income"], layout.Columns.Select(static c => c.Name));
        Assert.Equal([0, 1, 2], layout.Columns.Select(static c => c.Index));
        Assert.Equal(3, layout.Width);
        Assert.Equal(2, layout.Columns[1].ImputeIndex);
        Assert.Equal(3, layout.Describe().Count);
        Assert.Contains("'red'", layout.Describe()[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Cells_encode_as_numbers_category_indices_minus_one_and_nan()
    {
        var layout = OnnxInputLayout.For(Spec());
        var row = layout.EncodeRow(new Dictionary<string, string?> { ["age"] = "0.1", ["color"] = "green", ["income"] = "-3e2", ["extra"] = "ignored" });
        Assert.Equal([(float)0.1, 1f, -300f], row);
        var unseen = layout.EncodeRow(new Dictionary<string, string?> { ["age"] = null, ["color"] = "purple", ["income"] = "" });
        Assert.True(float.IsNaN(unseen[0]));
        Assert.Equal(-1f, unseen[1]);
        Assert.True(float.IsNaN(unseen[2]));
        // Categories match exactly, as in RowTransformer.
        Assert.Equal(-1f, layout.EncodeRow(new Dictionary<string, string?> { ["age"] = "1", ["color"] = "Green", ["income"] = "1" })[1]);
    }

    [Fact]
    public void Table_encoding_matches_row_encoding_and_finds_columns_by_name()
    {
        var layout = OnnxInputLayout.For(Spec());
        var table = CsvTable.Read(new StringReader("income,y,color,age\n5,yes,blue,\nNA,no,pink,7\n"), "t.csv");
        var encoded = layout.Encode(table);
        Assert.Equal(6, encoded.Length);
        Assert.Equal(new[] { float.NaN, 0f, 5f, 7f, -1f, float.NaN }, encoded);
    }

    [Fact]
    public void Bad_numbers_missing_columns_and_the_error_policy_raise_data_errors()
    {
        var layout = OnnxInputLayout.For(Spec());
        var bad = Assert.Throws<DataError>(() => layout.EncodeRow(new Dictionary<string, string?> { ["age"] = "old", ["color"] = "red", ["income"] = "1" }));
        Assert.Contains("'old'", bad.Message, StringComparison.Ordinal);
        var absent = Assert.Throws<DataError>(() => layout.EncodeRow(new Dictionary<string, string?> { ["age"] = "1", ["color"] = "red" }));
        Assert.Contains("'income'", absent.Message, StringComparison.Ordinal);
        var missingColumn = Assert.Throws<DataError>(() => layout.Encode(CsvTable.Read(new StringReader("age,color\n1,red\n"), "t.csv")));
        Assert.Contains("income", missingColumn.Message, StringComparison.Ordinal);

        var strict = OnnxInputLayout.For(Spec(MissingPolicy.Error));
        var missing = Assert.Throws<DataError>(() => strict.EncodeRow(new Dictionary<string, string?> { ["age"] = "1", ["color"] = null, ["income"] = "2" }));
        Assert.Contains("missing", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_lists_each_column_with_kind_impute_and_vocabulary()
    {
        using var json = System.Text.Json.JsonDocument.Parse(OnnxInputLayout.For(Spec()).ToJson());
        var columns = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(3, columns.Count);
        Assert.Equal(42.5, columns[0].GetProperty("impute").GetDouble());
        Assert.Equal("categorical", columns[1].GetProperty("kind").GetString());
        Assert.Equal(["blue", "green", "red"], columns[1].GetProperty("vocabulary").EnumerateArray().Select(static v => v.GetString()!));
        Assert.Equal(2, columns[1].GetProperty("impute_index").GetInt32());
    }
}
