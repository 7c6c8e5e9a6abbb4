using System.Net.Http;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Rest;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Rest;

/// <summary>
/// The save step of -OutFile, on a body that breaks after some bytes. Over real HTTP the break may
/// come before the headers (then the request is simply retried), so this case is staged here.
/// </summary>
public sealed class RestDownloadTests : IDisposable
{
    private readonly TempFolder folder = new();
    private static readonly RestCall Call = new("GET", RestTarget.Build(ServerAddress.Parse("ica.illumina.com"), "pipelines/p/files/f/content", null), MediaTypes.OctetStream, Streamed: true);

    public void Dispose() => folder.Dispose();

    [WritesFilesFact]
    public async Task A_whole_body_replaces_the_file()
    {
        var path = folder.File("main.nf");
        File.WriteAllText(path, "old");
        using var response = new HttpResponseMessage { Content = new StreamContent(new MemoryStream(new byte[300_000])) };

        Assert.Equal(300_000, await RestDownload.SaveAsync(response, OutFileTarget.Check(path), Call, TimeSpan.FromSeconds(30), null, CancellationToken.None));
        Assert.Equal(300_000, new FileInfo(path).Length);
        Assert.Equal(new[] { "main.nf" }, Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [WritesFilesFact]
    public async Task A_body_that_breaks_off_leaves_the_file_as_it_was_and_no_temp_file()
    {
        var path = folder.File("main.nf");
        File.WriteAllText(path, "the copy from yesterday");
        using var response = new HttpResponseMessage { Content = new StreamContent(new BreaksAfter(200_000)) };

        var error = await Assert.ThrowsAsync<IcaException>(() => RestDownload.SaveAsync(response, OutFileTarget.Check(path), Call, TimeSpan.FromSeconds(30), null, CancellationToken.None));

        Assert.Equal(ErrorIds.ConnectionFailed, error.ErrorId);
        Assert.Contains("200,000 bytes", error.Message);
        Assert.Equal("GET /api/pipelines/p/files/f/content", error.Target);
        Assert.Equal("the copy from yesterday", File.ReadAllText(path));
        Assert.Equal(new[] { "main.nf" }, Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    /// <summary>Zeros, then the IOException a reset connection gives.</summary>
    private sealed class BreaksAfter(int length) : Stream
    {
        private int position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (position >= length)
            {
                throw new IOException("The response ended prematurely.");
            }

            var read = Math.Min(count, length - position);
            Array.Clear(buffer, offset, read);
            position += read;
            return read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
