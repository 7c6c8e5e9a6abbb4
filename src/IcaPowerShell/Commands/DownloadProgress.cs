using System.Diagnostics;
using System.Management.Automation;

namespace IcaPowerShell.Commands
{
    /// <summary>
    /// -OutFile's progress bar: told the bytes written from the download's thread, it queues a
    /// record at most four times a second, which the pipeline thread writes while it waits.
    /// </summary>
    internal sealed class DownloadProgress : System.IProgress<long>
    {
        private const int ActivityId = 2;
        private readonly IcaCmdlet cmdlet;
        private readonly string activity;
        private readonly long? total;
        private readonly Stopwatch sinceLast = Stopwatch.StartNew();
        private long written;

        public DownloadProgress(IcaCmdlet cmdlet, string path, long? total)
        {
            this.cmdlet = cmdlet;
            activity = $"Invoke-IcaRestMethod -OutFile '{path}'";
            this.total = total;
        }

        public void Report(long written)
        {
            System.Threading.Interlocked.Exchange(ref this.written, written);
            if (sinceLast.ElapsedMilliseconds < 250)
            {
                return;
            }

            sinceLast.Restart();
            cmdlet.EnqueueProgress(Record(written, ProgressRecordType.Processing));
        }

        /// <summary>Clears the bar: written on the pipeline thread when the download ends, however it ends.</summary>
        public ProgressRecord Completed() => Record(System.Threading.Interlocked.Read(ref written), ProgressRecordType.Completed);

        private ProgressRecord Record(long written, ProgressRecordType type) => new ProgressRecord(ActivityId, activity, total is long all ? $"{written:N0} of {all:N0} bytes" : $"{written:N0} bytes")
        {
            PercentComplete = total is long size && size > 0 ? (int)System.Math.Min(100, written * 100 / size) : -1,
            RecordType = type,
        };
    }
}
