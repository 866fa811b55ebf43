using System.CommandLine;
using Converge.Cli.Commands;
using Converge.Data;
using Converge.Persistence;

namespace Converge.Cli;

/// <summary>
/// The command line: parses arguments into options, calls the library, renders the result.
/// User mistakes become one line on standard error and exit code 2, never a stack trace.
/// </summary>
public static class ConvergeApp
{
    /// <summary>Runs the CLI in-process; tests call this with string writers.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, bool? interactive = null, Func<Stream>? input = null,
        Func<TextWriter, TrainInterrupt>? interrupt = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var context = new CliContext(output, error, interactive ?? (!Console.IsOutputRedirected && ReferenceEquals(output, Console.Out)), input, interrupt);
        var root = new RootCommand("Converge: train small neural-network binary classifiers on any CSV, and find out why a model does not learn.");
        foreach (var command in Commands(context)) root.Subcommands.Add(command);

        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        // A bare 'converge' shows what it can do rather than an error.
        if (args.Length == 0) return root.Parse(["--help"]).Invoke(configuration);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var command = parse.CommandResult.Command;
            var name = command == root ? "converge" : $"converge {command.Name}";
            // An unknown word explains the errors that follow from it (a required option "missing"), so it alone is reported.
            // A mistyped option may have been taken as the data argument, so options are checked first.
            var unknown = (command == root ? null : Suggestions.UnknownOption(command, args)) ?? parse.UnmatchedTokens.FirstOrDefault();
            if (unknown is not null)
            {
                error.WriteLine($"error: {Suggestions.Unknown(root, command, unknown)} (see '{name} --help')");
                return ExitCodes.UsageOrInput;
            }
            // One line per problem, each with the hint, so a user mistake never needs more than one line to read.
            foreach (var e in parse.Errors) error.WriteLine($"error: {Plain(e.Message)} (see '{name} --help')");
            return ExitCodes.UsageOrInput;
        }
        return parse.Invoke(configuration);
    }

    private static IEnumerable<Command> Commands(CliContext context)
    {
        yield return TrainCommand.Create(context);
        yield return EvaluateCommand.Create(context);
        yield return PredictCommand.Create(context);
        yield return InspectCommand.Create(context);
        yield return ExportCommand.Create(context);
        yield return DemoCommand.Create(context);
        yield return DiagnoseCommand.Create(context);
    }

    // The parser names .NET types ("as expected type 'System.Int32'"); users know numbers.
    private static string Plain(string message) => message
        .Replace("'System.Int32'", "'whole number'", StringComparison.Ordinal)
        .Replace("'System.UInt64'", "'whole number ≥ 0'", StringComparison.Ordinal)
        .Replace("'System.Double'", "'number'", StringComparison.Ordinal);

    /// <summary>Sets a command's action with Converge's error handling around it.</summary>
    public static void SetGuardedAction(Command command, CliContext context, Func<ParseResult, int> action)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.SetAction(parse => Guard(context, () => action(parse)));
    }

    /// <summary>An ArgumentException's message without the " (Parameter 'x')" suffix .NET appends.</summary>
    public static string WithoutParameterName(ArgumentException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
    }

    /// <summary>Maps user mistakes to one clear line and exit code 2; anything else is a bug, exit code 1.</summary>
    public static int Guard(CliContext context, Func<int> action)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return action();
        }
        catch (Exception e) when (e is DataError or ModelFileException or UserError or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.UsageOrInput;
        }
        catch (OperationCanceledException)
        {
            context.Error.WriteLine("cancelled.");
            return ExitCodes.UsageOrInput;
        }
#pragma warning disable CA1031 // the CLI's last line of defence: report, do not crash with a trace unless asked
        catch (Exception e)
#pragma warning restore CA1031
        {
            context.Error.WriteLine($"internal error: {e.GetType().Name}: {e.Message}");
            if (Environment.GetEnvironmentVariable("CONVERGE_DEBUG") == "1") context.Error.WriteLine(e);
            else context.Error.WriteLine("This is a bug in Converge; run with CONVERGE_DEBUG=1 for details and please report it.");
            return ExitCodes.InternalError;
        }
    }
}
