using Converge.Data;

namespace Converge.Tests.Data;

public class LabelMappingTests
{
    private static CsvTable Labels(params string[] values) =>
        CsvTable.Read(new StringReader("y\n" + string.Join('\n', values) + "\n"), "labels.csv");

    [Theory]
    [InlineData("0", "1", "0", "1")]
    [InlineData("1", "0", "0", "1")]
    [InlineData("yes", "no", "no", "yes")]
    [InlineData("True", "FALSE", "FALSE", "True")]
    [InlineData("malignant", "benign", "benign", "malignant")]
    [InlineData("4", "2", "2", "4")]
    [InlineData("1", "-1", "-1", "1")]
    public void Positive_class_follows_the_documented_rule(string first, string second, string negative, string positive)
    {
        var table = Labels(first, second, first);
        var mapping = LabelMapping.Infer(table, "y");
        Assert.Equal((negative, positive), (mapping.Negative, mapping.Positive));
        var expected = new[] { first, second, first }.Select(v => v == positive ? 1f : 0f);
        Assert.Equal(expected, mapping.Encode(table));
    }

    [Fact]
    public void Numeric_labels_match_numerically()
    {
        var mapping = new LabelMapping("y", "0", "1");
        Assert.Equal(1f, mapping.Encode("1.0", "f.csv", 3));
        var ex = Assert.Throws<DataError>(() => mapping.Encode("2", "f.csv", 3));
        Assert.Equal("f.csv, line 3, column 'y': the label '2' is neither class: expected '0' or '1'.", ex.Message);
    }

    [Fact]
    public void Single_class_is_an_error()
    {
        var ex = Assert.Throws<DataError>(() => LabelMapping.Infer(Labels("1", "1"), "y"));
        Assert.Equal("labels.csv, column 'y': every row has the label '1'; a binary classifier needs two classes.", ex.Message);
    }

    [Fact]
    public void More_than_two_classes_names_them()
    {
        var ex = Assert.Throws<DataError>(() => LabelMapping.Infer(Labels("a", "b", "a", "c"), "y"));
        Assert.Equal((5, "c"), (ex.Line, ex.Value));
        Assert.Contains("('a', 'b', 'c')", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_label_names_the_line()
    {
        var ex = Assert.Throws<DataError>(() => LabelMapping.Infer(Labels("0", "NA", "1"), "y"));
        Assert.Equal("labels.csv, line 3, column 'y': the label is missing; every row needs a label.", ex.Message);
    }

    [Theory]
    [InlineData("good", "bad", "bad", "good")]
    [InlineData("0", "1", "0", "1")]
    [InlineData("0", "1", "0.0", "1")]
    [InlineData("no", "yes", "no", "yes")]
    public void An_explicit_positive_class_overrides_the_rule(string first, string second, string positive, string negative)
    {
        var mapping = LabelMapping.Infer(Labels(first, second, first), "y", positive);
        Assert.Equal(negative, mapping.Negative);
        Assert.Equal(positive == "0.0" ? "0" : positive, mapping.Positive);
    }

    [Fact]
    public void An_explicit_positive_class_must_be_a_label_value()
    {
        var ex = Assert.Throws<DataError>(() => LabelMapping.Infer(Labels("good", "bad"), "y", "Good"));
        Assert.Equal("'Good'", DataError.Quote(ex.Value));
        Assert.Contains("its classes are 'good', 'bad'", ex.Message, StringComparison.Ordinal);
    }
}
