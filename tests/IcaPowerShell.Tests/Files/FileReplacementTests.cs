using IcaPowerShell.Core.Files;

namespace IcaPowerShell.Tests.Files;

/// <summary>
/// The decisions of a file replacement (src/IcaPowerShell.Core/Files/FileReplacement.cs) through
/// its seam: a fake file system whose renames are all or nothing, as MoveFileEx's and rename(2)'s
/// are, and which fails the way Windows does when antivirus, backup or the indexer holds a file.
/// The Windows calls themselves run only in ci.yml's Windows legs.
/// </summary>
public sealed class FileReplacementTests
{
    private const int SharingViolation = unchecked((int)0x80070020);
    private const int LockViolation = unchecked((int)0x80070021);
    private const int FileExists = unchecked((int)0x80070050);
    private const int DiskFull = unchecked((int)0x80070070);

    [Fact]
    public void A_new_file_is_renamed_into_place()
    {
        var files = new FakeFiles { ["t"] = "new" };
        FileReplacement.Publish("t", "p", files);
        Assert.Equal("new", files["p"]);
        Assert.False(files.Exists("t"));
        Assert.Equal(new[] { "new t->p" }, files.Calls);
    }

    [Fact]
    public void An_existing_file_is_replaced_in_one_step()
    {
        var files = new FakeFiles { ["t"] = "new", ["p"] = "old" };
        FileReplacement.Publish("t", "p", files);
        Assert.Equal("new", files["p"]);
        Assert.Equal(new[] { "replace t->p" }, files.Calls);
        Assert.Empty(files.Waits);
    }

    [Theory]
    [InlineData(SharingViolation)]
    [InlineData(LockViolation)]
    public void A_file_held_for_a_moment_is_tried_again_with_growing_waits(int hresult)
    {
        var files = new FakeFiles { ["t"] = "new", ["p"] = "old" };
        files.FailNext(new IOException("held by another process", hresult), times: 2);
        FileReplacement.Publish("t", "p", files);
        Assert.Equal("new", files["p"]);
        Assert.Equal(new[] { FileReplacement.FirstDelay, FileReplacement.FirstDelay + FileReplacement.FirstDelay }, files.Waits);
    }

    [Fact]
    public void A_file_held_for_good_fails_after_a_bounded_wait_and_the_old_file_is_still_there()
    {
        var files = new FakeFiles { ["t"] = "new", ["p"] = "old" };
        files.FailNext(new IOException("held by another process", SharingViolation), times: 100);
        var error = Assert.Throws<IOException>(() => FileReplacement.Publish("t", "p", files));
        Assert.Equal(SharingViolation, error.HResult);
        Assert.Equal(FileReplacement.MaxAttempts, files.Calls.Count);
        Assert.True(files.Waits.Sum(w => w.TotalMilliseconds) < 1000, $"waited {files.Waits.Sum(w => w.TotalMilliseconds)} ms");
        Assert.Equal("old", files["p"]);
        Assert.Equal("new", files["t"]);
    }

    [Fact]
    public void A_read_only_target_is_refused_at_once()
    {
        var files = new FakeFiles { ["t"] = "new", ["p"] = "old" };
        files.ReadOnly.Add("p");
        files.FailNext(new UnauthorizedAccessException("Access to the path is denied."), times: 100);
        Assert.Throws<UnauthorizedAccessException>(() => FileReplacement.Publish("t", "p", files));
        Assert.Single(files.Calls);
        Assert.Empty(files.Waits);
        Assert.Equal("old", files["p"]);
    }

    [Fact]
    public void Access_denied_on_a_writable_target_is_a_passing_hold_and_tried_again()
    {
        // What a scanner's open handle or a pending delete looks like to MoveFileEx.
        var files = new FakeFiles { ["t"] = "new", ["p"] = "old" };
        files.FailNext(new UnauthorizedAccessException("Access to the path is denied."), times: 1);
        FileReplacement.Publish("t", "p", files);
        Assert.Equal("new", files["p"]);
        Assert.Single(files.Waits);
    }

    [Fact]
    public void A_target_created_meanwhile_is_replaced_on_the_next_try()
    {
        var files = new FakeFiles { ["t"] = "new" };
        files.BeforeNextCall = () => files["p"] = "theirs";
        FileReplacement.Publish("t", "p", files);
        Assert.Equal("new", files["p"]);
        Assert.Equal(new[] { "new t->p", "replace t->p" }, files.Calls);
    }

    [Fact]
    public void Any_other_failure_is_not_retried_and_loses_nothing()
    {
        var files = new FakeFiles { ["t"] = "new", ["p"] = "old" };
        files.FailNext(new IOException("There is not enough space on the disk.", DiskFull), times: 1);
        Assert.Throws<IOException>(() => FileReplacement.Publish("t", "p", files));
        Assert.Single(files.Calls);
        Assert.Equal("old", files["p"]);
    }

    /// <summary>Names to contents; renames are atomic; failures are queued.</summary>
    private sealed class FakeFiles : IReplacementCalls, IEnumerable<KeyValuePair<string, string>>
    {
        private readonly Dictionary<string, string> files = new();
        private readonly Queue<Exception> failures = new();

        public List<string> Calls { get; } = new();

        public List<TimeSpan> Waits { get; } = new();

        public HashSet<string> ReadOnly { get; } = new();

        public Action? BeforeNextCall { get; set; }

        public string this[string path]
        {
            get => files[path];
            set => files[path] = value;
        }

        public void Add(string path, string content) => files.Add(path, content);

        public void FailNext(Exception failure, int times)
        {
            for (var i = 0; i < times; i++)
            {
                failures.Enqueue(failure);
            }
        }

        public bool Exists(string path) => files.ContainsKey(path);

        public bool IsReadOnly(string path) => ReadOnly.Contains(path);

        public void MoveReplacing(string source, string target)
        {
            Calls.Add($"replace {source}->{target}");
            Fail();
            files[target] = files[source];
            files.Remove(source);
        }

        public void MoveNew(string source, string target)
        {
            Calls.Add($"new {source}->{target}");
            if (BeforeNextCall is Action race)
            {
                BeforeNextCall = null;
                race();
            }

            if (files.ContainsKey(target))
            {
                throw new IOException("The file exists.", FileExists);
            }

            Fail();
            files[target] = files[source];
            files.Remove(source);
        }

        public void Wait(TimeSpan delay) => Waits.Add(delay);

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => files.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        private void Fail()
        {
            if (failures.Count > 0)
            {
                throw failures.Dequeue();
            }
        }
    }
}
