using Xunit;

namespace Palisade.Configuration.Tests;

public sealed class AuthkeyTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("palisade-authkey-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    [Fact]
    public void A_new_key_is_256_random_bytes_readable_by_its_owner_only()
    {
        var path = PathOf("authkey");

        Authkey.Create(path, force: false);

        Assert.Equal(Authkey.DefaultBytes, new FileInfo(path).Length);
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(path));
        Assert.Equal([path], _dir.GetFiles().Select(f => f.FullName));
        var (key, problem) = Authkey.Load(path);
        Assert.Null(problem);
        Assert.Equal(256, key!.Length);
    }

    [Fact]
    public void An_existing_key_is_kept_unless_forced()
    {
        var path = PathOf("authkey");
        Authkey.Create(path, force: false);
        var before = File.ReadAllBytes(path);

        var refused = Assert.Throws<IOException>(() => Authkey.Create(path, force: false));
        Assert.Equal(before, File.ReadAllBytes(path));
        Authkey.Create(path, force: true);

        Assert.Equal($"{path} already exists; it was left unchanged (use --force to replace it, then copy the new key to every node)", refused.Message);
        Assert.NotEqual(before, File.ReadAllBytes(path));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_missing_directory_is_reported()
    {
        var path = PathOf("no/such/authkey");

        var error = Assert.Throws<IOException>(() => Authkey.Create(path, force: false));

        Assert.Equal($"cannot write {path}: the directory {PathOf("no/such")} does not exist", error.Message);
    }

    [Fact]
    public void A_missing_or_short_key_file_is_refused_with_its_name_and_why()
    {
        var missing = PathOf("missing");
        var shortKey = PathOf("short");
        File.WriteAllBytes(shortKey, new byte[100]);

        var (noKey, missingProblem) = Authkey.Load(missing);
        var (tooShort, shortProblem) = Authkey.Load(shortKey);

        Assert.Null(noKey);
        Assert.Equal($"{missing}: cannot read the cluster authkey: Could not find file '{missing}'", missingProblem);
        Assert.Null(tooShort);
        Assert.Equal($"{shortKey}: 100 bytes, but a cluster key has at least 128 (make one with 'palisade config authkey')", shortProblem);
    }
}
