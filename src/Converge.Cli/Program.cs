namespace Converge.Cli;

internal static class Program
{
    private static int Main(string[] args) => ConvergeApp.Run(args, Console.Out, Console.Error);
}
