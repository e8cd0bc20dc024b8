<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en">
<context>
    <name>Docpipe::Config</name>
    <message>
        <source>database URL must look like postgresql://user:pass@host:port/db</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>database folder does not exist: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LlamaParse needs an API key (LLAMA_CLOUD_API_KEY or the keychain)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chunks of %1 tokens would be over the embedding model&apos;s limit of %2 tokens per input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the per-request token limit (%1) must hold at least one input (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be true or false (&apos;%2&apos;); using %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a number (&apos;%2&apos;); using %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chunk overlap must be less than half the chunk size (is %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 or %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>database URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chunk size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chunk overlap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>parse concurrency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chunk concurrency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>embed concurrency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remote parse concurrency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remote embed concurrency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lease</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>heartbeat interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>poll interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>document size limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>retry attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>first retry delay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>longest retry delay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>parser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LlamaParse base URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LlamaParse poll interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LlamaParse deadline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LlamaParse request timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LlamaParse requests per minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>embedder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>embedding base URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>embedding model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>embedding dimensions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>embedding batch size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>per-request token limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>per-input token limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>embedding requests per minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>embedding tokens per minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>embedding request timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>embedding encoding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be %2 (is &apos;%3&apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be an http(s) URL (is &apos;%2&apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be between %2 and %3 (is %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be at most %2 (is %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be at least %2 (is %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alert check interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failure rate window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failures before a failure rate alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failure rate alert threshold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stuck job limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>silence before a worker counts as gone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>free disk alert threshold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>service outage window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>errors before an outage alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>queue growth alert span</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alert webhook URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alert webhook timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alert webhook attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>watching folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>folder rescan interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>settle time of a written file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wake-up by database notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>safety-net poll interval with notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rescues of a job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP service address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API upload folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>health and metrics without a token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP connection limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>readiness database time limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be [HOST:]PORT (is &apos;%2&apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the database is in the folder of earlier releases, %1; to move it, stop Docpipe and move %1/docpipe.sqlite* to %2/</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>time without progress before a job shows as stalled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LlamaParse API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LlamaParse tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LlamaParse version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be &apos;latest&apos; or a date such as 2026-08-19 (is &apos;%2&apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OCR of pages without text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OCR languages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OCR resolution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dpi</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>text below which a PDF page is OCRed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OCR confidence below which a page gives a warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>retention of finished jobs&apos; events and intermediate data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>memory warning limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be Tesseract language codes joined by &apos;+&apos;, such as eng+deu (is &apos;%2&apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>memory budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>following symbolic links out of a folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Search</name>
    <message>
        <source>%1 (%2 dimensions)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chunks were embedded with %1, but the query would be embedded with %2: vectors of different models or dimensions cannot be compared. Search with the embedder that embedded the chunks, or re-run the jobs with this one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type what to search for.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::AlertBanner</name>
    <message>
        <source>Failure rate high</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jobs stuck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No live worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Free disk low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API quota exhausted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remote service outage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue growing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (since %2): %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::ApiKeyField</name>
    <message>
        <source>not set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the system keychain…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored in the system keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From %1; Save stores it in the system keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kept in the system keychain, never in the settings file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No system keychain; keys come from %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::DatabasePage</name>
    <message>
        <source>SQLite file on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PostgreSQL server (shared by several workers)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQLite databases (*.sqlite *.db);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A PostgreSQL URL starts with postgresql://, e.g. postgresql://user:password@host:5432/docpipe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is a PostgreSQL URL: choose &quot;PostgreSQL server&quot; above.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::DroppedPaths</name>
    <message>
        <source>skipped %1: %2 is not a supported document (PDF, DOCX, HTML, Markdown, text, or a PNG, JPEG or TIFF image)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::ErrorLogDock</name>
    <message>
        <source>Errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All stages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All codes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search documents, codes, messages…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Errors: %L1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%L1 of %L2 errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::ErrorLogModel</name>
    <message>
        <source>Retrying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lease expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::IngestNotice</name>
    <message>
        <source>Files not added</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) or folder(s) were not added as jobs:</source>
        <translation>
            <numerusform>%n file or folder were not added as jobs:</numerusform>
            <numerusform>%n files or folders were not added as jobs:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::InterfacePage</name>
    <message>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new language applies the next time Docpipe starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show a job as stalled after:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A running job whose progress has not moved for this long is marked stalled in the jobs table and counted on the dashboard.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::JobActions</name>
    <message>
        <source>&amp;Details…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the selected job&apos;s timeline, error, text and chunks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry the selected failed or cancelled jobs from their last checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry &amp;All Failed…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry every failed job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-run from &amp;Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the selected jobs back to the start, dropping their text, chunks and vectors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the selected queued or running jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the selected rows as tab-separated text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop every worker from claiming new work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the database now and check the services again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resu&amp;me</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Let workers claim work again</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::JobController</name>
    <message>
        <source>Retry failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Retrying %n job(s); %1 were neither failed nor cancelled (use Re-run from start for those).</source>
        <translation>
            <numerusform>Retrying %n job; %1 were neither failed nor cancelled (use Re-run from start for those).</numerusform>
            <numerusform>Retrying %n jobs; %1 were neither failed nor cancelled (use Re-run from start for those).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Retrying %n job(s).</source>
        <translation>
            <numerusform>Retrying %n job.</numerusform>
            <numerusform>Retrying %n jobs.</numerusform>
        </translation>
    </message>
    <message>
        <source>Re-run failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Re-running %n job(s) from the start.</source>
        <translation>
            <numerusform>Re-running %n job from the start.</numerusform>
            <numerusform>Re-running %n jobs from the start.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancel failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Cancelled %n job(s); %1 had already finished, failed or been cancelled.</source>
        <translation>
            <numerusform>Cancelled %n job; %1 had already finished, failed or been cancelled.</numerusform>
            <numerusform>Cancelled %n jobs; %1 had already finished, failed or been cancelled.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancelled %n job(s).</source>
        <translation>
            <numerusform>Cancelled %n job.</numerusform>
            <numerusform>Cancelled %n jobs.</numerusform>
        </translation>
    </message>
    <message>
        <source>Pause failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused: every worker finishes what it holds and claims nothing new.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resumed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot list the failed jobs: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not drain worker %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Worker %1 is not running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Worker %1 finishes what it holds, takes nothing new, then stops.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::JobDetailsDialog</name>
    <message>
        <source>page numbers</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n page(s))</source>
        <translation>
            <numerusform>%1 (%n page)</numerusform>
            <numerusform>%1 (%n pages)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n more</source>
        <translation>
            <numerusform>%n more</numerusform>
            <numerusform>%n more</numerusform>
        </translation>
    </message>
    <message>
        <source>Dropped as running headers and footers: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parsed text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chunks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dimensions:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vectors stored:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embedding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job %1 — loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not parsed yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n page(s); showing the first %1 of %2 characters.</source>
        <translation>
            <numerusform>%n page; showing the first %1 of %2 characters.</numerusform>
            <numerusform>%n pages; showing the first %1 of %2 characters.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n page(s), %1 characters.</source>
        <translation>
            <numerusform>%n page, %1 characters.</numerusform>
            <numerusform>%n pages, %1 characters.</numerusform>
        </translation>
    </message>
    <message>
        <source>There is no job %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job %1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n page</numerusform>
            <numerusform>%n pages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s)</source>
        <translation>
            <numerusform>%n chunk</numerusform>
            <numerusform>%n chunks</numerusform>
        </translation>
    </message>
    <message>
        <source>added %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Errors in the event log:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No errors.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Errors (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No chunks stored yet (they are stored when the job is embedded).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Showing the first %1 of %n chunk(s).</source>
        <translation>
            <numerusform>Showing the first %1 of %n chunk.</numerusform>
            <numerusform>Showing the first %1 of %n chunks.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s).</source>
        <translation>
            <numerusform>%n chunk.</numerusform>
            <numerusform>%n chunks.</numerusform>
        </translation>
    </message>
    <message>
        <source>not embedded yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n failed attempt(s)</source>
        <translation>
            <numerusform>%n failed attempt</numerusform>
            <numerusform>%n failed attempts</numerusform>
        </translation>
    </message>
    <message>
        <source>Completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>page %1 (%2%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read by OCR (mean word confidence): %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::JobFormat</name>
    <message>
        <source>Uploaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parsing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parsed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chunking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chunked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embedding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embedded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Will retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Worker lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handed back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retried by operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-run from start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Priority changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::JobTableModel</name>
    <message>
        <source>Failed during %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done: chunks and vectors stored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, waiting for %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>working…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Elapsed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (v%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version %1; the file was deleted from its watched folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version %1, current: its chunks are the ones searched and exported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version %1, not current: another version&apos;s chunks are searched</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stalled for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No progress for %1. Its worker may be stuck or cut off from the database; the job goes back to its last checkpoint when the worker&apos;s lease expires.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::JobsView</name>
    <message>
        <source>Search documents…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All stages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All outcomes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln job(s)</source>
        <translation>
            <numerusform>%Ln job</numerusform>
            <numerusform>%Ln jobs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln job(s)</source>
        <translation>
            <numerusform>%1 of %Ln job</numerusform>
            <numerusform>%1 of %Ln jobs</numerusform>
        </translation>
    </message>
    <message>
        <source>Drop documents or folders here
(PDF, DOCX, HTML, Markdown, text, images)
or use Add files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No jobs match the filters.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::MainWindow</name>
    <message>
        <source>The configuration has problems: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Docpipe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add &amp;Files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose documents to add as jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add F&amp;older…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add every document in a folder and its subfolders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Paste Paths</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add the files and folders whose paths are on the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reset Column Layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Docpipe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Engine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The engine could not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert (%1): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There are no failed jobs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Retry all %n failed job(s) from their last checkpoint?</source>
        <translation>
            <numerusform>Retry all %n failed job from their last checkpoint?</numerusform>
            <numerusform>Retry all %n failed jobs from their last checkpoint?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Retry %n Job(s)</source>
        <translation>
            <numerusform>Retry %n Job</numerusform>
            <numerusform>Retry %n Jobs</numerusform>
        </translation>
    </message>
    <message>
        <source>Adding %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Re-run %n job(s) from the start? Their parsed text, chunks and vectors are dropped.</source>
        <translation>
            <numerusform>Re-run %n job from the start? Their parsed text, chunks and vectors are dropped.</numerusform>
            <numerusform>Re-run %n jobs from the start? Their parsed text, chunks and vectors are dropped.</numerusform>
        </translation>
    </message>
    <message>
        <source>Re-run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Adding %n dropped item(s)…</source>
        <translation>
            <numerusform>Adding %n dropped item…</numerusform>
            <numerusform>Adding %n dropped items…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Added %n document(s).</source>
        <translation>
            <numerusform>Added %n document.</numerusform>
            <numerusform>Added %n documents.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n duplicate(s) of existing jobs, not added again: %1.</source>
        <translation>
            <numerusform>%n duplicate of existing jobs, not added again: %1.</numerusform>
            <numerusform>%n duplicates of existing jobs, not added again: %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) skipped (see the notice).</source>
        <translation>
            <numerusform>%n item skipped (see the notice).</numerusform>
            <numerusform>%n items skipped (see the notice).</numerusform>
        </translation>
    </message>
    <message>
        <source>Documents (*.pdf *.docx *.html *.htm *.xhtml *.md *.markdown *.txt *.text);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add Documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The clipboard holds no file or folder paths.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This window only watches the database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Docpipe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Docpipe %1&lt;/h3&gt;&lt;p&gt;Turns documents into stored, embedded chunks, and shows every step.&lt;/p&gt;&lt;p&gt;Database: %2&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping: finishing or handing back unfinished work…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new language applies when Docpipe starts again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings saved. The new database is used when Docpipe starts again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings saved. The engine restarts with them once its running work is finished or handed back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Docpipe alert: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Docpipe: resolved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+F</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::NotificationPolicy</name>
    <message numerus="yes">
        <source>%n document(s) embedded, %1 failed.</source>
        <translation>
            <numerusform>%n document embedded, %1 failed.</numerusform>
            <numerusform>%n documents embedded, %1 failed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n document(s) embedded.</source>
        <translation>
            <numerusform>%n document embedded.</numerusform>
            <numerusform>%n documents embedded.</numerusform>
        </translation>
    </message>
    <message>
        <source>Docpipe: batch finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <translation>
            <numerusform>%1 and %n more</numerusform>
            <numerusform>%1 and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Docpipe: %n job(s) failed</source>
        <translation>
            <numerusform>Docpipe: %n job failed</numerusform>
            <numerusform>Docpipe: %n jobs failed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::ProcessingPage</name>
    <message>
        <source> tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chunking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chunk size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overlap:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jobs at once, per stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parsing:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chunking:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embedding:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retries after transient errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempts:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First delay:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Longest delay:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first delay cannot be longer than the longest delay.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read pages without text (scans, images) by OCR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> dpi</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OCR (local parser)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tesseract language codes joined by &apos;+&apos;; each needs its tesseract-ocr-&lt;code&gt; package.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Languages:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolution:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warn below confidence:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow symbolic links that lead out of the folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work starts while its estimated memory fits in this budget (a long PDF weighs more than a short one); a document bigger than the budget runs alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory budget:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dropped and watched folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off: a link to a file outside the folder (say, to a password file) is skipped and named in the notice. Named pipes and devices are never read.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::SearchPanel</name>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search the embedded chunks…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many chunks to show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only chunks of the document with this name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Results:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type what to search for.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No chunks are embedded yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s) found</source>
        <translation>
            <numerusform>%n chunk found</numerusform>
            <numerusform>%n chunks found</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 searched with %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lexical search: the local embedder matches shared words, not meaning</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s) embedded with another model were not compared</source>
        <translation>
            <numerusform>%n chunk embedded with another model was not compared</numerusform>
            <numerusform>%n chunks embedded with another model were not compared</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::SearchResultsModel</name>
    <message>
        <source>Job %1, chunk %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::ServiceStatus</name>
    <message>
        <source>OK: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (%1 ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::ServicesPage</name>
    <message>
        <source>Parser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parser:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local (PDF, DOCX, HTML, Markdown, text, OCR of scans and images; no network)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LlamaParse (cloud service)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test parser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embedder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embedder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local (lexical hashing, 384 dimensions; no network)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OpenAI-compatible API (OpenAI, Ollama, vLLM, …)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test embedder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the service&apos;s default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dimensions:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> texts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests per minute:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens per minute:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>v2 (current)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>v1 (older)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fast (text only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost-effective</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agentic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agentic plus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>latest, or a date such as 2026-08-19</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::SettingsDialog</name>
    <message>
        <source>Docpipe Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Processing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interface</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fix the settings marked in red to save (%L1 left).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system keychain did not store the key (%1). Docpipe uses it until it closes; set %2 to keep it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::SettingsPage</name>
    <message>
        <source>Enter a number from %1 to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::StageCard</name>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · p50 %2 · p95 %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running jobs whose progress has not moved for longer than the stalled threshold (Settings, Interface)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n stalled</source>
        <translation>
            <numerusform>%n stalled</numerusform>
            <numerusform>%n stalled</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::StageDashboard</name>
    <message>
        <source>Throughput</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>per minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue depth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>jobs waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>per 5 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency (last 10 min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>p50</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>p95</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retried</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lease expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>per %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The charts&apos; time span; Auto fits it to the latest run of work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>5 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>24 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>per %1 min</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::StatusIndicators</name>
    <message>
        <source>Database: connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database: connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database: unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parser: checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embedder: checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parser: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embedder: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine: starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine: running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine: paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No worker claims new work until resumed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine: stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine: failed to start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on %2 (pid %3), %4, last heartbeat %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n worker(s)</source>
        <translation>
            <numerusform>%n worker</numerusform>
            <numerusform>%n workers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) wait and no worker is alive.</source>
        <translation>
            <numerusform>%n job waits and no worker is alive.</numerusform>
            <numerusform>%n jobs wait and no worker is alive.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2 free of %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert below %1 free (alerts/min_free_disk_mb).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk: %1 free</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU %1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>This process: %1 of the machine&apos;s %n core(s), %2 resident (amber from 75% of %3, red above it: alerts/max_memory_mb).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The database&apos;s size on its server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database&apos;s size; %1 free on its disk (amber when the database is over half of that, red when over all of it: it could not be copied or vacuumed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DB %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Estimated memory of the stage work running now: %1 of the budget of %2 (engine/memory_budget_mb). Work that does not fit waits until it does; one job bigger than the budget runs alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) waiting for memory.</source>
        <translation>
            <numerusform>%n job waiting for memory.</numerusform>
            <numerusform>%n jobs waiting for memory.</numerusform>
        </translation>
    </message>
    <message>
        <source>Work %1/%2 MB</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::TrayNotifier</name>
    <message>
        <source>Docpipe</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::WorkerTableModel</name>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draining</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Process</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last heartbeat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jobs held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done (10 min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::WorkersDock</name>
    <message>
        <source>Workers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Let the selected worker finish the jobs it holds, take nothing new, and stop.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Drop documents, watch every stage, read errors, retry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQLite file or postgresql:// URL of the database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The settings file (INI).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Documents or folders to add.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP service not started: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
