using Converge.Data;

namespace Converge.Cli.Tests;

/// <summary>The exit-code contract of <see cref="ConvergeApp.Guard"/>: user mistakes 2, bugs 1, never a stack trace.</summary>
public class ConvergeAppTests
{
    private static (int Code, string Err) Guarded(Func<int> action)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = ConvergeApp.Guard(new CliContext(output, error, interactive: false), action);
        return (code, error.ToString());
    }

    [Fact]
    public void A_data_error_is_a_user_mistake()
    {
        var (code, err) = Guarded(() => throw new DataError("a.csv", 3, "age", "x", "cannot read 'x' as a number."));
        Assert.Equal(ExitCodes.UsageOrInput, code);
        Assert.StartsWith("error: a.csv, line 3, column 'age'", err, StringComparison.Ordinal);
    }

    [Fact]
    public void An_argument_exception_from_inside_the_library_is_reported_as_a_bug_without_a_trace()
    {
        var (code, err) = Guarded(() => throw new ArgumentException("Span too short."));
        Assert.Equal(ExitCodes.InternalError, code);
        Assert.Contains("internal error", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }
}
