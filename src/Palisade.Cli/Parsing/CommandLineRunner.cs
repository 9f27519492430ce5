using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Palisade.Cli.Parsing;

/// <summary>
/// Parses a command line against the declared commands and runs the chosen one. Exit codes: 0 success, 1 failure
/// (its reason on stderr), 2 usage error (what is wrong on stderr); <c>palisade</c> alone prints the help and exits 2.
/// </summary>
internal static class CommandLineRunner
{
    /// <summary>No response files: an argument starting with '@' (a message text, say) is taken as it is.</summary>
    private static readonly ParserConfiguration Parsing = new() { ResponseFileTokenReplacer = null };

    /// <summary><c>palisade help [COMMAND...]</c> is <c>palisade [COMMAND...] --help</c>.</summary>
    public static string[] Normalize(string[] args) => args is ["help", .. var rest] ? [.. rest, "--help"] : args;

    public static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter stdout, TextWriter stderr)
    {
        var invocation = new InvocationConfiguration
        {
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null, // Ctrl+C keeps its usual meaning; lab exec hands it to the child
            Output = stdout,
            Error = stderr,
        };
        if (args.Length == 0)
        {
            await root.Parse(["--help"], Parsing).InvokeAsync(invocation).ConfigureAwait(false);
            return 2;
        }

        var result = root.Parse(args, Parsing);
        if (result.Action is ParseErrorAction)
        {
            UsageErrors.Write(result, stderr);
            return 2;
        }

        try
        {
            return await result.InvokeAsync(invocation).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            await stderr.WriteLineAsync($"palisade: {ex.Message}").ConfigureAwait(false);
            if (!ex.Message.EndsWith("--help')", StringComparison.Ordinal))
            {
                await stderr.WriteLineAsync(UsageErrors.Hint(UsageErrors.CommandPath(result.CommandResult))).ConfigureAwait(false);
            }

            return 2;
        }
        catch (IOException ex)
        {
            await stderr.WriteLineAsync($"palisade: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>
    /// <c>--help</c> (and <c>-h</c>) on every command, written by <see cref="HelpText"/>; clprexec keeps <c>-h</c> for its
    /// HOST, as in CLUSTERPRO. The library's own help and version options go: their texts cost a resource lookup at
    /// every start.
    /// </summary>
    public static void AddHelp(Command command, bool shortAlias = true)
    {
        foreach (var inherited in command.Options.Where(o => o is HelpOption or VersionOption).ToList())
        {
            command.Options.Remove(inherited);
        }

        command.Options.Add(new Option<bool>("--help", shortAlias ? ["-h"] : [])
        {
            Description = "show this help",
            Arity = ArgumentArity.Zero,
            Action = new HelpText(),
        });
        foreach (var sub in command.Subcommands)
        {
            AddHelp(sub, shortAlias && sub.Name != "clprexec");
        }
    }
}
