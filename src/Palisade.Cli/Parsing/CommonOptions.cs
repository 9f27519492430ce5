using System.CommandLine;

namespace Palisade.Cli.Parsing;

/// <summary>Options that several commands declare the same way.</summary>
internal static class CommonOptions
{
    /// <summary><c>--output|-o text|json</c>, default text.</summary>
    public static Option<string> Output(params string[] aliases)
    {
        var option = new Option<string>("--output", aliases.Length == 0 ? ["-o"] : aliases)
        {
            Description = "text (default) or json",
            HelpName = "text|json",
            DefaultValueFactory = _ => "text",
        };
        option.CompletionSources.Add("text", "json");
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is var value and not ("text" or "json"))
            {
                result.AddError($"--output must be text or json, not '{value}'");
            }
        });
        return option;
    }

    /// <summary><c>--dry-run</c>: the orders the coordinator would give, nothing sent.</summary>
    public static Option<bool> DryRun() =>
        new("--dry-run") { Description = "show the orders the coordinator would give; nothing is sent", Arity = ArgumentArity.Zero };

    /// <summary>A valued option that takes a string.</summary>
    public static Option<string> Text(string name, string helpName, string description, params string[] aliases) =>
        new(name, aliases) { HelpName = helpName, Description = description };

    /// <summary>A flag.</summary>
    public static Option<bool> Flag(string name, string description, params string[] aliases) =>
        new(name, aliases) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary>A required positional argument.</summary>
    public static Argument<string> Name(string helpName, string description) =>
        new(helpName) { HelpName = helpName, Description = description };

    /// <summary>A positional argument limited to <paramref name="values"/>, offered as completions.</summary>
    public static Argument<string> OneOf(string name, string description, params string[] values)
    {
        var argument = new Argument<string>(name) { HelpName = string.Join('|', values), Description = description };
        argument.AcceptOnlyFromAmong(values);
        return argument;
    }
}
