using System.Globalization;

namespace Palisade.Agents;

/// <summary>The parameters of the <c>ipmi</c> shutdown agent, declared once and parsed from configuration.</summary>
internal sealed record IpmiSettings(string Address, int Port, string User, string? Password, string? PasswordFile, int Cipher, string Privilege, string Method)
{
    public const string TypeName = "ipmi";

    public static IReadOnlyList<AgentParameterInfo> Declaration { get; } =
    [
        new("address", ParameterSchema.StringType, true, null, false, "BMC host name or IP address", []),
        new("port", ParameterSchema.IntegerType, false, "623", false, "BMC UDP port (RMCP+)", []),
        new("user", ParameterSchema.StringType, true, null, false, "BMC user name", []),
        new("password", ParameterSchema.StringType, false, null, true, "BMC password; give this or password_file", []),
        new("password_file", ParameterSchema.PathType, false, null, false,
            "file holding the BMC password (a trailing newline is ignored), read at each use; give this or password", []),
        new("cipher", ParameterSchema.IntegerType, false, "3", false, "RMCP+ cipher suite id (ipmitool -C)", []),
        new("privilege", ParameterSchema.EnumType, false, "ADMINISTRATOR", false, "session privilege level (ipmitool -L)",
            ["CALLBACK", "USER", "OPERATOR", "ADMINISTRATOR"]),
        new("method", ParameterSchema.EnumType, false, "onoff", false,
            "onoff: power off and confirm off; cycle: power off, confirm off, then power on again", ["onoff", "cycle"]),
    ];

    /// <summary>Never prints the password, unlike the generated record text would.</summary>
    public override string ToString() => $"ipmi {Endpoint} user {User}";

    /// <summary>"address:port", how the BMC is named in reasons and logs.</summary>
    public string Endpoint => $"{Address}:{Port}";

    /// <summary>The session options of every ipmitool call; <c>-E</c> makes it read the password from IPMI_PASSWORD.</summary>
    public IReadOnlyList<string> SessionArguments =>
    [
        "-I", "lanplus",
        "-H", Address,
        "-p", Port.ToString(CultureInfo.InvariantCulture),
        "-U", User,
        "-C", Cipher.ToString(CultureInfo.InvariantCulture),
        "-L", Privilege,
        "-E",
    ];

    public static (IpmiSettings? Settings, IReadOnlyList<string> Problems) Parse(IReadOnlyDictionary<string, string> values)
    {
        List<string> problems = ParameterSchema.Validate(Declaration, values);
        bool hasPassword = values.ContainsKey("password");
        bool hasFile = values.ContainsKey("password_file");
        if (hasPassword == hasFile)
        {
            problems.Add("give exactly one of 'password' and 'password_file'");
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        int port = Integer(values, "port");
        int cipher = Integer(values, "cipher");
        if (port is < 1 or > 65535)
        {
            problems.Add($"parameter 'port' must be 1..65535, got {port}");
        }

        if (cipher > 17)
        {
            problems.Add($"parameter 'cipher' must be an IPMI cipher suite id 0..17, got {cipher}");
        }

        var settings = new IpmiSettings(
            values["address"].Trim(),
            port,
            values["user"],
            hasPassword ? values["password"] : null,
            hasFile ? values["password_file"] : null,
            cipher,
            Get(values, "privilege").ToUpperInvariant(),
            Get(values, "method").ToLowerInvariant());
        return problems.Count > 0 ? (null, problems) : (settings, problems);
    }

    /// <summary>The password, read from the file at each use so that a rotated secret is picked up.</summary>
    public (string? Password, string? Problem) ReadPassword()
    {
        if (PasswordFile is null)
        {
            return (Password, null);
        }

        try
        {
            string password = File.ReadAllText(PasswordFile).TrimEnd('\n', '\r');
            return password.Length == 0 ? (null, $"password_file {PasswordFile} is empty") : (password, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot read password_file {PasswordFile}: {e.Message}");
        }
    }

    private static string Get(IReadOnlyDictionary<string, string> values, string name) =>
        ParameterSchema.Get(Declaration, values, name) ?? throw new InvalidOperationException($"'{name}' has no default");

    private static int Integer(IReadOnlyDictionary<string, string> values, string name) =>
        int.Parse(Get(values, name), NumberStyles.None, CultureInfo.InvariantCulture);
}
