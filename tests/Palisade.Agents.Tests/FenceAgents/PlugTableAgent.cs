namespace Palisade.Agents.Tests;

/// <summary>
/// A small fence agent built on the installed fencing.py library (so its metadata, stdin parsing, list format and
/// multi-plug handling are the library's own), over a table of plugs kept as files: one per plug, holding its
/// alias and its power. Like fence_virtd, it reports a plug it does not know as off. Removed on Dispose.
/// </summary>
internal sealed class PlugTableAgent : IDisposable
{
    private const string Script = """
        #!/usr/bin/python3
        import os
        import sys
        sys.path.append("/usr/share/fence")
        from fencing import all_opt, check_input, process_input, show_docs, fence_action

        def read(options, plug):
            with open(os.path.join(options["--state-dir"], plug)) as f:
                return f.read().split("\n")[:2]

        def get_power_status(conn, options):
            try:
                return read(options, options["--plug"])[1]
            except OSError:
                return "off"

        def set_power_status(conn, options):
            path = os.path.join(options["--state-dir"], options["--plug"])
            if os.path.exists(path):
                alias = read(options, options["--plug"])[0]
                with open(path, "w") as f:
                    f.write(alias + "\n" + options["--action"] + "\n")

        def get_list(conn, options):
            return {plug: tuple(read(options, plug)) for plug in sorted(os.listdir(options["--state-dir"]))}

        def main():
            device_opt = ["no_password", "port", "state_dir"]
            all_opt["state_dir"] = {"getopt": ":", "longopt": "state-dir", "required": "1", "order": 1,
                "help": "--state-dir=[dir]              Directory of plug files", "shortdesc": "Directory of plug files"}
            options = check_input(device_opt, process_input(device_opt))
            show_docs(options, {"shortdesc": "Plug table", "longdesc": "A table of plugs kept as files", "vendorurl": ""})
            sys.exit(fence_action(None, options, set_power_status, get_power_status, get_list))

        if __name__ == "__main__":
            main()
        """;

    private readonly TempDir _dir = new();

    public PlugTableAgent(params (string Plug, string Alias)[] plugs)
    {
        Path = _dir.Write("fence_plugtable", Script, executable: true);
        Directory.CreateDirectory(StateDir);
        foreach ((string plug, string alias) in plugs)
        {
            File.WriteAllText(System.IO.Path.Combine(StateDir, plug), $"{alias}\non\n");
        }
    }

    public string Path { get; }

    public string StateDir => _dir.File("plugs");

    /// <summary>The options of the generic fence-agent type that run this agent.</summary>
    public (string Name, string Value)[] Options => [("agent", Path), ("state_dir", StateDir)];

    public string Power(string plug) => File.ReadAllText(System.IO.Path.Combine(StateDir, plug)).Split('\n')[1];

    public void Dispose() => _dir.Dispose();
}
