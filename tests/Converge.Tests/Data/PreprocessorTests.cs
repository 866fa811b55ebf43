using Converge.Data;

namespace Converge.Tests.Data;

public sealed class PreprocessorTests : IDisposable
{
    // A messy file: an id column, quoted commas and quotes in names, "NA" and blank cells, padded
    // unquoted numbers, categorical strings; written with CRLF line endings and a UTF-8 BOM.
    private const string Messy = """
        id,name,age,color,score,label
        P01,"Smith, John",34,red,1.5,yes
        P02,"Doe, Jane",,blue,2.5,no
        P03,"O""Brien, Pat",45,red,,yes
        P04,Lee,29,green,3.0,no
        P05,"Kim, Ann",NA,blue,4.0,yes
        P06,Park,51,,5.0,no
        P07,"Chen, Wei",38,red,6.0,yes
        P08,Ng,42,blue,7.0,no
        P09,"Ali, Sam",  60 ,red,8.0,yes
        P10,Roe,33,green,9.0,no

        """;

    private static readonly PreprocessorOptions LabelOnly = new() { Label = "label" };

    private readonly TempCsv _files = new();

    public void Dispose() => _files.Dispose();

    private static int[] AllRows(CsvTable table) => [.. Enumerable.Range(0, table.RowCount)];

    private static CsvTable Inline(string text, string name = "t.csv") => CsvTable.Read(new StringReader(text), name);

    [Fact]
    public void Messy_csv_is_fitted_and_transformed_as_computed_by_hand()
    {
        var table = CsvTable.Read(_files.Write("messy.csv", Messy, crlf: true, bom: true));
        // Raw numbers and plain imputation here; the robust scaling, indicators and missing levels have their own tests.
        var fit = Preprocessor.Fit(table, LabelOnly with { Scaling = NumericScaling.None, MissingIndicators = false }, AllRows(table));
        var pre = fit.Preprocessor;

        // id and name: 10 distinct values in 10 rows → nearly unique → dropped.
        // color vocabulary in ordinal order: blue, green, red.
        Assert.Equal(["age", "color=blue", "color=green", "color=red", "score"], pre.FeatureNames);
        var kinds = pre.Spec.Columns.ToDictionary(c => c.Name, c => c.Kind);
        Assert.Equal(ColumnKind.Dropped, kinds["id"]);
        Assert.Equal(ColumnKind.Dropped, kinds["name"]);

        // age: 34 45 29 51 38 42 60 33 (P02 blank, P05 NA) → sorted 29 33 34 38 | 42 45 51 60 → (38+42)/2 = 40.
        // score: 1.5 2.5 3 4 5 6 7 8 9 (P03 blank) → median 5.
        // color: red ×4, blue ×3, green ×2, P06 blank → most frequent red.
        var spec = pre.Spec.Columns.ToDictionary(c => c.Name);
        Assert.Equal(40.0, spec["age"].ImputeValue);
        Assert.Equal(5.0, spec["score"].ImputeValue);
        Assert.Equal("red", spec["color"].ImputeCategory);
        Assert.Equal(new LabelMapping("label", "no", "yes"), pre.Label);

        var messages = fit.Notices.Select(n => n.Message).ToList();
        Assert.Contains("imputed 2 missing values in 'age' with median 40", messages);
        Assert.Contains("imputed 1 missing value in 'color' with most frequent 'red'", messages);
        Assert.Contains(messages, m => m.StartsWith("dropped column 'id': 10 distinct text values", StringComparison.Ordinal));

        var x = pre.Transform(table).Features;
        Assert.Equal(10, x.Rows);
        Assert.Equal(5, x.Cols);
        Assert.Equal([34f, 0, 0, 1, 1.5f], x.Row(0).ToArray());
        Assert.Equal([40f, 1, 0, 0, 2.5f], x.Row(1).ToArray());   // age imputed
        Assert.Equal([45f, 0, 0, 1, 5f], x.Row(2).ToArray());     // score imputed
        Assert.Equal([51f, 0, 0, 1, 5f], x.Row(5).ToArray());     // color imputed with red
        Assert.Equal([60f, 0, 0, 1, 8f], x.Row(8).ToArray());     // "  60 " trimmed
        Assert.Equal([1f, 0, 1, 0, 1, 0, 1, 0, 1, 0], x.Labels!);
    }

    [Fact]
    public void Fit_uses_training_rows_only()
    {
        var table = Inline("x,c,label\n1,a,0\n3,a,1\n100,b,0\n,b,1\n");
        // Training rows 0, 1, 3: x median of {1, 3} = 2; row 2's 100 must not count.
        var pre = Preprocessor.Fit(table, LabelOnly, [0, 1, 3]).Preprocessor;
        var x = pre.Spec.Columns.Single(c => c.Name == "x");
        Assert.Equal(2.0, x.ImputeValue);
        var c = pre.Spec.Columns.Single(c => c.Name == "c");
        Assert.Equal(["a", "b"], c.Vocabulary);
        Assert.Equal("a", c.ImputeCategory);
    }

    [Fact]
    public void Unseen_categories_encode_as_zeros_and_are_counted()
    {
        var train = Inline("color,label\nred,0\nblue,1\nred,1\nblue,0\n", "train.csv");
        var pre = Preprocessor.Fit(train, LabelOnly, AllRows(train)).Preprocessor;
        var test = Inline("color,label\npurple,0\nred,1\nteal,0\npurple,1\n", "test.csv");
        var result = pre.Transform(test);
        Assert.Equal([0f, 0, 0, 1, 0, 0, 0, 0], result.Features.Data);
        Assert.Equal(3, result.UnseenCategories["color"]);
        var notice = Assert.Single(result.Notices);
        Assert.Contains("3 values in 'color'", notice.Message, StringComparison.Ordinal);
        Assert.Contains("'purple'", notice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Many_categories_keep_the_frequent_levels_and_pool_the_rest_and_keep_forces_all()
    {
        // 30 cities: c0..c14 in 5 rows each (75), c15..c29 in 1 row each (15): more than MaxCategories = 20 levels.
        var cities = Enumerable.Range(0, 75).Select(i => $"c{i % 15}").Concat(Enumerable.Range(15, 15).Select(i => $"c{i}")).ToArray();
        var lines = cities.Select((c, i) => $"{c},{i % 5},{i % 2}");
        var table = Inline("city,code,label\n" + string.Join('\n', lines) + "\n");
        var fit = Preprocessor.Fit(table, LabelOnly, AllRows(table));
        var city = fit.Preprocessor.Spec.Columns.Single(c => c.Name == "city");
        Assert.Equal(ColumnKind.Categorical, city.Kind);
        Assert.Equal(16, city.Vocabulary!.Count);   // the 15 frequent levels + (other)
        Assert.Equal(PreprocessingSpec.OtherLevel, city.Vocabulary[^1]);
        Assert.Equal(PreprocessingSpec.OtherLevel, city.OtherCategory);
        Assert.DoesNotContain("c20", city.Vocabulary);
        Assert.Contains(fit.Notices, n => n.Message.StartsWith("pooled 15 rare levels of 'city' (15 rows", StringComparison.Ordinal));

        // A rare training level and an unseen one both encode as (other).
        var test = Inline("city,code,label\nc20,1,0\nnowhere,2,1\nc3,3,0\n");
        var result = fit.Preprocessor.Transform(test);
        var other = fit.Preprocessor.FeatureNames.ToList().IndexOf("city=(other)");
        var c3 = fit.Preprocessor.FeatureNames.ToList().IndexOf("city=c3");
        Assert.Equal(1f, result.Features.Row(0)[other]);
        Assert.Equal(1f, result.Features.Row(1)[other]);
        Assert.Equal(0f, result.Features.Row(2)[other]);
        Assert.Equal(1f, result.Features.Row(2)[c3]);
        Assert.Equal(2, result.UnseenCategories["city"]);   // c20 (pooled) and nowhere: neither has a one-hot of its own
        Assert.Contains(result.Notices, n => n.Message.Contains("encoded as '(other)'", StringComparison.Ordinal));

        // Too few rows per level everywhere: nothing to learn from, the column is dropped.
        var sparse = Inline("city,code,label\n" + string.Join('\n', Enumerable.Range(0, 60).Select(i => $"c{i % 30},{i % 5},{i % 2}")) + "\n");
        var dropped = Preprocessor.Fit(sparse, LabelOnly, AllRows(sparse));
        Assert.Equal(["code"], dropped.Preprocessor.FeatureNames);
        Assert.Contains(dropped.Notices, n => n.Message.StartsWith("dropped column 'city': 30 distinct text values, none in 3 or more", StringComparison.Ordinal));

        var kept = Preprocessor.Fit(sparse, LabelOnly with { Keep = ["city", "code"] }, AllRows(sparse)).Preprocessor;
        // 30 cities + 5 codes, both one-hot; code is numeric but forced categorical.
        Assert.Equal(35, kept.FeatureCount);
        Assert.Equal("code=0", kept.FeatureNames[30]);
    }

    [Fact]
    public void Numeric_columns_are_scaled_by_median_and_iqr_then_smoothly_clipped()
    {
        // x = 1..9 and an outlier 1000: median 5.5, quartiles 3.25 and 7.75 → IQR 4.5.
        var table = Inline("x,label\n" + string.Join('\n', new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 1000 }.Select((v, i) => $"{v},{i % 2}")) + "\n");
        var pre = Preprocessor.Fit(table, LabelOnly, AllRows(table)).Preprocessor;
        var x = pre.Spec.Columns.Single();
        Assert.Equal(5.5, x.Center);
        Assert.Equal(4.5, x.Spread);
        Assert.True(x.Clip);
        Assert.Equal(2, pre.Spec.FormatVersion);
        var features = pre.Transform(table).Features;
        static double Expected(double v)
        {
            var z = ((float)v - 5.5) / 4.5;
            return z / Math.Sqrt(1 + z / 3 * (z / 3));
        }
        Assert.Equal((float)Expected(1), features.Data[0]);
        Assert.Equal((float)Expected(9), features.Data[8]);
        Assert.InRange(features.Data[9], 2.99f, 3f);   // 1000 is clipped just under 3
        Assert.Equal(0f, pre.Transform(Inline("x,label\n5.5,0\n")).Features.Data[0]);
    }

    [Fact]
    public void Missing_numbers_get_an_indicator_and_missing_categories_their_own_level()
    {
        var table = Inline("x,c,label\n1,a,0\n,b,1\n3,,0\n4,a,1\n5,b,0\n");
        var fit = Preprocessor.Fit(table, LabelOnly, AllRows(table));
        var pre = fit.Preprocessor;
        Assert.Equal(["x", "x=(missing)", "c=a", "c=b", "c=(missing)"], pre.FeatureNames);
        var rows = pre.Transform(table).Features;
        Assert.Equal([0f, 1f, 0f, 1f, 0f], rows.Row(1).ToArray());   // x imputed with the median 3.5 → centred 0, flagged
        Assert.Equal(0f, rows.Row(0)[1]);
        Assert.Equal([0f, 0f, 1f], rows.Row(2)[2..].ToArray());      // c missing → its own level
        Assert.Contains(fit.Notices, n => n.Message == "encoded 1 missing value in 'c' as their own level '(missing)'");
        Assert.Contains(fit.Notices, n => n.Message.EndsWith("(and flagged them in 'x=(missing)')", StringComparison.Ordinal));
        var restored = Preprocessor.FromSpec(PreprocessingSpec.FromJson(pre.Spec.ToJson()));
        Assert.Equal(rows.Data, restored.Transform(table).Features.Data);
    }

    [Fact]
    public void A_numeric_row_id_is_dropped_with_a_notice()
    {
        var lines = Enumerable.Range(0, 30).Select(i => $"{100 + 3 * i},{i * 7 % 11},{i % 2}");
        var table = Inline("id,x,label\n" + string.Join('\n', lines) + "\n");
        var fit = Preprocessor.Fit(table, LabelOnly, AllRows(table));
        Assert.Equal(["x"], fit.Preprocessor.FeatureNames);
        Assert.Contains(fit.Notices, n => n.Message.StartsWith("dropped column 'id': its values are the distinct integers 100..187, one per row and increasing", StringComparison.Ordinal));
        // The same values shuffled and not consecutive are a feature, not an id.
        var shuffled = Inline("id,x,label\n" + string.Join('\n', Enumerable.Range(0, 30).Select(i => $"{100 + 3 * (i * 7 % 30)},{i % 4},{i % 2}")) + "\n");
        Assert.Contains("id", Preprocessor.Fit(shuffled, LabelOnly, AllRows(shuffled)).Preprocessor.FeatureNames);
    }

    [Fact]
    public void Ignored_and_constant_columns_are_dropped_with_notices()
    {
        var table = Inline("a,b,k,label\n1,2,5,0\n3,4,5,1\n");
        var fit = Preprocessor.Fit(table, LabelOnly with { Ignore = ["b"] }, AllRows(table));
        Assert.Equal(["a"], fit.Preprocessor.FeatureNames);
        Assert.Contains(fit.Notices, n => n.Message == "ignored column 'b' as asked");
        Assert.Contains(fit.Notices, n => n.Message == "dropped column 'k': every training value is 5");
    }

    [Fact]
    public void Numeric_column_with_a_bad_value_names_line_column_and_value()
    {
        var rows = Enumerable.Range(0, 20).Select(i => i == 6 ? "abc,1" : $"{i},{i % 2}");
        var table = Inline("age,label\n" + string.Join('\n', rows) + "\n", "data.csv");
        var ex = Assert.Throws<DataError>(() => Preprocessor.Fit(table, LabelOnly, AllRows(table)));
        Assert.Equal((8, "age", "abc"), (ex.Line, ex.Column, ex.Value));
        Assert.StartsWith("data.csv, line 8, column 'age': cannot read 'abc' as a number (19 of 20", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_number_at_transform_time_names_line_column_and_value()
    {
        var pre = Preprocessor.Fit(Inline("age,label\n1,0\n2,1\n"), LabelOnly, [0, 1]).Preprocessor;
        var ex = Assert.Throws<DataError>(() => pre.Transform(Inline("age,label\n3,0\nold,1\n", "new.csv")));
        Assert.Equal("new.csv, line 3, column 'age': cannot read 'old' as a number.", ex.Message);
    }

    [Fact]
    public void Missing_policy_error_names_the_missing_cell()
    {
        var table = Inline("a,label\n1,0\n,1\n", "m.csv");
        var ex = Assert.Throws<DataError>(() => Preprocessor.Fit(table, LabelOnly with { MissingPolicy = MissingPolicy.Error }, [0, 1]));
        Assert.Equal((3, "a"), (ex.Line, ex.Column));
    }

    [Fact]
    public void Missing_label_column_lists_the_columns()
    {
        var ex = Assert.Throws<DataError>(() => Preprocessor.Fit(Inline("a,b\n1,2\n"), LabelOnly, [0]));
        Assert.Equal("label", ex.Column);
        Assert.Equal("t.csv, column 'label': no label column named 'label'; the columns are 'a', 'b'.", ex.Message);
    }

    [Fact]
    public void Bind_maps_columns_by_name_ignores_extras_and_names_missing_ones()
    {
        var train = Inline("a,c,label\n1,x,0\n2,y,1\n3,x,1\n");
        var pre = Preprocessor.Fit(train, LabelOnly, AllRows(train)).Preprocessor;
        var expected = pre.Transform(train).Features;

        var binder = pre.Bind(["extra", "c", "a"], "stream.csv");
        Assert.False(binder.HasLabel);
        var row = new float[binder.FeatureCount];
        binder.TransformRow(new CsvRow(2, ["zzz", "x", "1"]), row);
        Assert.Equal(expected.Row(0).ToArray(), row);

        var ex = Assert.Throws<DataError>(() => pre.Bind(["c", "label"], "stream.csv"));
        Assert.Equal("a", ex.Column);
        Assert.Contains("stream.csv", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Streaming_rows_through_a_bound_transformer_equals_the_table_transform()
    {
        var path = _files.Write("messy.csv", Messy, crlf: true, bom: true);
        var table = CsvTable.Read(path);
        var pre = Preprocessor.Fit(table, LabelOnly, [0, 2, 4, 6, 8]).Preprocessor;
        var whole = pre.Transform(table);

        using var reader = CsvTable.Stream(path);
        var binder = pre.Bind(reader.ColumnNames, reader.SourceName);
        var streamed = new List<float>();
        var labels = new List<float>();
        var row = new float[binder.FeatureCount];
        foreach (var csvRow in reader.ReadRows())
        {
            binder.TransformRow(csvRow, row);
            streamed.AddRange(row);
            labels.Add(binder.ReadLabel(csvRow.Cells, csvRow.LineNumber));
        }
        Assert.Equal(whole.Features.Data, streamed);
        Assert.Equal(whole.Features.Labels!, labels);
        Assert.Equal(whole.Imputed, binder.Imputed);
    }

    [Fact]
    public void Spec_round_trips_through_json()
    {
        var table = CsvTable.Read(_files.Write("messy.csv", Messy));
        var pre = Preprocessor.Fit(table, LabelOnly, AllRows(table)).Preprocessor;
        var json = pre.Spec.ToJson();
        Assert.Contains("\"kind\": \"Categorical\"", json, StringComparison.Ordinal);
        var restored = Preprocessor.FromSpec(PreprocessingSpec.FromJson(json));
        Assert.Equal(pre.FeatureNames, restored.FeatureNames);
        Assert.Equal(pre.Label, restored.Label);
        Assert.Equal(json, restored.Spec.ToJson());
        Assert.Equal(pre.Transform(table).Features.Data, restored.Transform(table).Features.Data);
    }

    [Fact]
    public void FromSpec_rejects_inconsistent_feature_names()
    {
        var pre = Preprocessor.Fit(Inline("a,label\n1,0\n2,1\n"), LabelOnly, [0, 1]).Preprocessor;
        var broken = pre.Spec with { FeatureNames = ["a", "b"] };
        Assert.Throws<ArgumentException>(() => Preprocessor.FromSpec(broken));
    }
}
