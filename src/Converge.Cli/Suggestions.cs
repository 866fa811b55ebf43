using System.CommandLine;

namespace Converge.Cli;

/// <summary>"Did you mean": the closest command or option name to a word the parser did not know.</summary>
public static class Suggestions
{
    /// <summary>The message for an unrecognized <paramref name="token"/> on <paramref name="command"/> (a subcommand of <paramref name="root"/>, or root).</summary>
    public static string Unknown(RootCommand root, Command command, string token)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(token);
        if (token.StartsWith('-'))
        {
            var options = command.Options.SelectMany(static o => o.Aliases.Prepend(o.Name)).Where(static n => n.StartsWith("--", StringComparison.Ordinal));
            return $"unknown option '{token}'" + DidYouMean(token, options);
        }
        if (command == root)
        {
            var names = root.Subcommands.Select(static c => c.Name).ToList();
            return $"unknown command '{token}'{DidYouMean(token, names)}; the commands are {string.Join(", ", names)}";
        }
        return $"unexpected argument '{token}'";
    }

    /// <summary>The first argument that looks like a long option but is none of <paramref name="command"/>'s, or null.</summary>
    public static string? UnknownOption(Command command, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(args);
        var known = command.Options.SelectMany(static o => o.Aliases.Prepend(o.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var arg in args)
        {
            if (arg == "--") break;
            if (!arg.StartsWith("--", StringComparison.Ordinal)) continue;
            var name = arg.Split('=', 2)[0];
            if (!known.Contains(name) && name is not "--help" and not "--version") return name;
        }
        return null;
    }

    /// <summary>" (did you mean 'x'?)" for the nearest candidate, or "" when none is near.</summary>
    public static string DidYouMean(string word, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var best = Closest(word, candidates);
        return best is null ? "" : $" (did you mean '{best}'?)";
    }

    /// <summary>
    /// The candidate nearest to <paramref name="word"/> (ignoring case and leading dashes): one it starts, or
    /// within 1 edit (words up to 4 letters) or 2 edits, a swap of neighbours counting as one; null if none.
    /// </summary>
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(candidates);
        var plain = word.TrimStart('-').ToLowerInvariant();
        if (plain.Length == 0) return null;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates.Distinct(StringComparer.Ordinal))
        {
            var other = candidate.TrimStart('-').ToLowerInvariant();
            var distance = other.StartsWith(plain, StringComparison.Ordinal) && plain.Length >= 3 ? 0 : Distance(plain, other);
            if (distance < bestDistance) (best, bestDistance) = (candidate, distance);
        }
        var allowed = plain.Length <= 4 ? 1 : 2;
        return bestDistance <= allowed ? best : null;
    }

    /// <summary>Edit distance with adjacent transpositions (optimal string alignment).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
