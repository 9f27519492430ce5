using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Palisade.Core.Configuration;

namespace Palisade.Lab;

/// <summary>
/// Unix users for the web view's PAM logins inside the lab nodes, never on the host: every node gets copies of the
/// host's <c>/etc/passwd</c>, <c>/etc/shadow</c> and <c>/etc/group</c> with the lab's users added, which its boot script
/// binds over the originals in the node's own mount namespace. <see cref="Operator"/> is in the operate group,
/// <see cref="Viewer"/> in the view group and <see cref="Outsider"/> in none; their password (one, random per lab) is
/// in <see cref="PasswordFileOnNode"/> (mode 600).
/// </summary>
internal static class LabLogins
{
    public const string Operator = "lab-operator";
    public const string Viewer = "lab-viewer";
    public const string Outsider = "lab-outsider";
    public const string PasswordFileOnNode = "/etc/palisade/web-password";

    /// <summary>The <c>logins:</c> the lab turns on.</summary>
    public static ApiLogins Config => new() { View = "palisade-view", Operate = "palisade-ops", Admin = "palisade-admin" };

    private static readonly (string User, int Id)[] Users = [(Operator, 64101), (Viewer, 64102), (Outsider, 64103)];

    public static void WriteFiles(LabPaths paths, IReadOnlyList<LabNode> nodes, ApiLogins logins)
    {
        var password = RandomNumberGenerator.GetHexString(24, lowercase: true);
        var hash = Crypt(password);
        var passwd = File.ReadAllText("/etc/passwd").TrimEnd('\n') + "\n"
            + string.Concat(Users.Select(u => $"{u.User}:x:{u.Id}:{u.Id}:Palisade lab user:/nonexistent:/usr/sbin/nologin\n"));
        var shadow = File.ReadAllText("/etc/shadow").TrimEnd('\n') + "\n" + string.Concat(Users.Select(u => $"{u.User}:{hash}:19000:0:99999:7:::\n"));
        var group = File.ReadAllText("/etc/group").TrimEnd('\n') + "\n"
            + string.Concat(Users.Select(u => $"{u.User}:x:{u.Id}:\n"))
            + (logins.View is { } view ? $"{view}:x:64201:{Viewer}\n" : "")
            + (logins.Operate is { } operate ? $"{operate}:x:64202:{Operator}\n" : "")
            + (logins.Admin is { } admin ? $"{admin}:x:64203:\n" : "");
        foreach (var node in nodes)
        {
            var auth = paths.NodeSubdir(node.Name, "etc-auth");
            Directory.CreateDirectory(auth);
            File.WriteAllText(Path.Combine(auth, "passwd"), passwd);
            File.WriteAllText(Path.Combine(auth, "group"), group);
            LabFiles.WriteSecret(Path.Combine(auth, "shadow"), Encoding.UTF8.GetBytes(shadow));
            LabFiles.WriteSecret(Path.Combine(paths.NodeSubdir(node.Name, "etc-palisade"), Path.GetFileName(PasswordFileOnNode)), Encoding.ASCII.GetBytes(password + "\n"));
        }
    }

    /// <summary>A SHA-512 crypt hash of <paramref name="password"/> (<c>openssl passwd -6</c>, password on stdin).</summary>
    private static string Crypt(string password)
    {
        using var p = Process.Start(new ProcessStartInfo("openssl", ["passwd", "-6", "-stdin"]) { RedirectStandardInput = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("cannot run openssl");
        p.StandardInput.WriteLine(password);
        p.StandardInput.Close();
        var hash = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return p.ExitCode == 0 && hash.StartsWith("$6$", StringComparison.Ordinal) ? hash : throw new InvalidOperationException("openssl passwd -6 failed");
    }
}
