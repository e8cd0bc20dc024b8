<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en">
<context>
    <name>Docpipe::Config</name>
    <message>
        <source>retention of finished jobs&apos; events and intermediate data</source>
        <translation>Aufbewahrung der Ereignisse und Zwischendaten beendeter Aufträge</translation>
    </message>
    <message>
        <source>days</source>
        <translation>Tage</translation>
    </message>
    <message>
        <source>database URL must look like postgresql://user:pass@host:port/db</source>
        <translation>Die Datenbank-URL muss wie postgresql://benutzer:passwort@host:port/db aussehen</translation>
    </message>
    <message>
        <source>database folder does not exist: %1</source>
        <translation>Der Datenbankordner existiert nicht: %1</translation>
    </message>
    <message>
        <source>LlamaParse needs an API key (LLAMA_CLOUD_API_KEY or the keychain)</source>
        <translation>LlamaParse braucht einen API-Schlüssel (LLAMA_CLOUD_API_KEY oder den Schlüsselbund)</translation>
    </message>
    <message>
        <source>chunks of %1 tokens would be over the embedding model&apos;s limit of %2 tokens per input</source>
        <translation>Abschnitte mit %1 Tokens lägen über der Grenze des Modells von %2 Tokens je Eingabe</translation>
    </message>
    <message>
        <source>the per-request token limit (%1) must hold at least one input (%2)</source>
        <translation>Die Token-Grenze je Anfrage (%1) muss mindestens eine Eingabe fassen (%2)</translation>
    </message>
    <message>
        <source>%1 must be true or false (&apos;%2&apos;); using %3</source>
        <translation>%1 muss true oder false sein (&apos;%2&apos;); verwendet wird %3</translation>
    </message>
    <message>
        <source>%1 is not a number (&apos;%2&apos;); using %3</source>
        <translation>%1 ist keine Zahl (&apos;%2&apos;); verwendet wird %3</translation>
    </message>
    <message>
        <source>chunk overlap must be less than half the chunk size (is %1)</source>
        <translation>Die Chunk-Überlappung muss kleiner als die halbe Chunkgröße sein (ist %1)</translation>
    </message>
    <message>
        <source>%1 or %2</source>
        <translation>%1 oder %2</translation>
    </message>
    <message>
        <source>one of %1</source>
        <translation>eines von %1</translation>
    </message>
    <message>
        <source>database URL</source>
        <translation>Datenbank-URL</translation>
    </message>
    <message>
        <source>chunk size</source>
        <translation>Chunkgröße</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>chunk overlap</source>
        <translation>Chunk-Überlappung</translation>
    </message>
    <message>
        <source>parse concurrency</source>
        <translation>Parallelität beim Parsen</translation>
    </message>
    <message>
        <source>chunk concurrency</source>
        <translation>Parallelität beim Chunking</translation>
    </message>
    <message>
        <source>embed concurrency</source>
        <translation>Parallelität beim Embedding</translation>
    </message>
    <message>
        <source>remote parse concurrency</source>
        <translation>Parallelität beim entfernten Parsen</translation>
    </message>
    <message>
        <source>remote embed concurrency</source>
        <translation>Parallelität beim entfernten Embedding</translation>
    </message>
    <message>
        <source>lease</source>
        <translation>Lease-Dauer</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>Sekunden</translation>
    </message>
    <message>
        <source>heartbeat interval</source>
        <translation>Heartbeat-Intervall</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>poll interval</source>
        <translation>Abfrageintervall</translation>
    </message>
    <message>
        <source>document size limit</source>
        <translation>Größenlimit pro Dokument</translation>
    </message>
    <message>
        <source>bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>retry attempts</source>
        <translation>Anzahl der Versuche</translation>
    </message>
    <message>
        <source>first retry delay</source>
        <translation>Erste Wartezeit vor einem neuen Versuch</translation>
    </message>
    <message>
        <source>longest retry delay</source>
        <translation>Längste Wartezeit vor einem neuen Versuch</translation>
    </message>
    <message>
        <source>parser</source>
        <translation>Parser</translation>
    </message>
    <message>
        <source>LlamaParse base URL</source>
        <translation>LlamaParse-Basis-URL</translation>
    </message>
    <message>
        <source>LlamaParse poll interval</source>
        <translation>LlamaParse-Abfrageintervall</translation>
    </message>
    <message>
        <source>LlamaParse deadline</source>
        <translation>LlamaParse-Frist</translation>
    </message>
    <message>
        <source>LlamaParse request timeout</source>
        <translation>LlamaParse-Anfrage-Timeout</translation>
    </message>
    <message>
        <source>LlamaParse requests per minute</source>
        <translation>LlamaParse-Anfragen pro Minute</translation>
    </message>
    <message>
        <source>embedder</source>
        <translation>Embedder</translation>
    </message>
    <message>
        <source>embedding base URL</source>
        <translation>Embedding-Basis-URL</translation>
    </message>
    <message>
        <source>embedding model</source>
        <translation>Embedding-Modell</translation>
    </message>
    <message>
        <source>embedding dimensions</source>
        <translation>Embedding-Dimensionen</translation>
    </message>
    <message>
        <source>embedding batch size</source>
        <translation>Embedding-Batchgröße</translation>
    </message>
    <message>
        <source>per-request token limit</source>
        <translation>Token-Limit pro Anfrage</translation>
    </message>
    <message>
        <source>per-input token limit</source>
        <translation>Token-Limit pro Eingabe</translation>
    </message>
    <message>
        <source>embedding requests per minute</source>
        <translation>Embedding-Anfragen pro Minute</translation>
    </message>
    <message>
        <source>embedding tokens per minute</source>
        <translation>Embedding-Tokens pro Minute</translation>
    </message>
    <message>
        <source>embedding request timeout</source>
        <translation>Embedding-Anfrage-Timeout</translation>
    </message>
    <message>
        <source>embedding encoding</source>
        <translation>Embedding-Kodierung</translation>
    </message>
    <message>
        <source>%1 must be %2 (is &apos;%3&apos;)</source>
        <translation>%1 muss %2 sein (ist &apos;%3&apos;)</translation>
    </message>
    <message>
        <source>%1 must be an http(s) URL (is &apos;%2&apos;)</source>
        <translation>%1 muss eine http(s)-URL sein (ist &apos;%2&apos;)</translation>
    </message>
    <message>
        <source>%1 must be between %2 and %3 (is %4)</source>
        <translation>%1 muss zwischen %2 und %3 liegen (ist %4)</translation>
    </message>
    <message>
        <source>%1 must be at most %2 (is %3)</source>
        <translation>%1 darf höchstens %2 sein (ist %3)</translation>
    </message>
    <message>
        <source>%1 must be at least %2 (is %3)</source>
        <translation>%1 muss mindestens %2 sein (ist %3)</translation>
    </message>
    <message>
        <source>alert check interval</source>
        <translation>Intervall der Alarmprüfung</translation>
    </message>
    <message>
        <source>failure rate window</source>
        <translation>Zeitfenster der Fehlerquote</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>Minuten</translation>
    </message>
    <message>
        <source>failures before a failure rate alert</source>
        <translation>Fehlschläge vor einem Fehlerquoten-Alarm</translation>
    </message>
    <message>
        <source>failure rate alert threshold</source>
        <translation>Schwelle des Fehlerquoten-Alarms</translation>
    </message>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>stuck job limit</source>
        <translation>Grenze für hängende Aufträge</translation>
    </message>
    <message>
        <source>silence before a worker counts as gone</source>
        <translation>Stille, bis ein Worker als verschwunden gilt</translation>
    </message>
    <message>
        <source>free disk alert threshold</source>
        <translation>Schwelle des Speicherplatz-Alarms</translation>
    </message>
    <message>
        <source>MB</source>
        <translation>MB</translation>
    </message>
    <message>
        <source>service outage window</source>
        <translation>Zeitfenster für Dienstausfälle</translation>
    </message>
    <message>
        <source>errors before an outage alert</source>
        <translation>Fehler vor einem Ausfall-Alarm</translation>
    </message>
    <message>
        <source>queue growth alert span</source>
        <translation>Zeitspanne für wachsende Warteschlangen</translation>
    </message>
    <message>
        <source>alert webhook URL</source>
        <translation>Webhook-URL für Alarme</translation>
    </message>
    <message>
        <source>alert webhook timeout</source>
        <translation>Zeitlimit des Alarm-Webhooks</translation>
    </message>
    <message>
        <source>alert webhook attempts</source>
        <translation>Versuche des Alarm-Webhooks</translation>
    </message>
    <message>
        <source>watching folders</source>
        <translation>Ordnerüberwachung</translation>
    </message>
    <message>
        <source>folder rescan interval</source>
        <translation>Intervall der Ordnerprüfung</translation>
    </message>
    <message>
        <source>settle time of a written file</source>
        <translation>Wartezeit für geschriebene Dateien</translation>
    </message>
    <message>
        <source>wake-up by database notifications</source>
        <translation>Aufwecken durch Datenbank-Benachrichtigungen</translation>
    </message>
    <message>
        <source>safety-net poll interval with notifications</source>
        <translation>Sicherheitsabfrage-Intervall bei Benachrichtigungen</translation>
    </message>
    <message>
        <source>rescues of a job</source>
        <translation>Rettungen eines Auftrags</translation>
    </message>
    <message>
        <source>HTTP service address</source>
        <translation>Adresse des HTTP-Dienstes</translation>
    </message>
    <message>
        <source>API upload folder</source>
        <translation>Upload-Ordner der API</translation>
    </message>
    <message>
        <source>health and metrics without a token</source>
        <translation>Zustand und Metriken ohne Token</translation>
    </message>
    <message>
        <source>HTTP connection limit</source>
        <translation>Höchstzahl der HTTP-Verbindungen</translation>
    </message>
    <message>
        <source>readiness database time limit</source>
        <translation>Zeitlimit der Datenbank für die Bereitschaftsprüfung</translation>
    </message>
    <message>
        <source>API token</source>
        <translation>API-Token</translation>
    </message>
    <message>
        <source>%1 must be [HOST:]PORT (is &apos;%2&apos;)</source>
        <translation>%1 muss [HOST:]PORT sein (ist &apos;%2&apos;)</translation>
    </message>
    <message>
        <source>the database is in the folder of earlier releases, %1; to move it, stop Docpipe and move %1/docpipe.sqlite* to %2/</source>
        <translation>die Datenbank liegt im Ordner früherer Versionen, %1; zum Verschieben Docpipe beenden und %1/docpipe.sqlite* nach %2/ verschieben</translation>
    </message>
    <message>
        <source>time without progress before a job shows as stalled</source>
        <translation>Zeit ohne Fortschritt, bis ein Auftrag als festgefahren gilt</translation>
    </message>
    <message>
        <source>LlamaParse API</source>
        <translation>LlamaParse-API</translation>
    </message>
    <message>
        <source>LlamaParse tier</source>
        <translation>LlamaParse-Stufe</translation>
    </message>
    <message>
        <source>LlamaParse version</source>
        <translation>LlamaParse-Version</translation>
    </message>
    <message>
        <source>%1 must be &apos;latest&apos; or a date such as 2026-08-19 (is &apos;%2&apos;)</source>
        <translation>%1 muss &apos;latest&apos; oder ein Datum wie 2026-08-19 sein (ist &apos;%2&apos;)</translation>
    </message>
    <message>
        <source>OCR of pages without text</source>
        <translation>OCR von Seiten ohne Text</translation>
    </message>
    <message>
        <source>OCR languages</source>
        <translation>OCR-Sprachen</translation>
    </message>
    <message>
        <source>OCR resolution</source>
        <translation>OCR-Auflösung</translation>
    </message>
    <message>
        <source>dpi</source>
        <translation>dpi</translation>
    </message>
    <message>
        <source>text below which a PDF page is OCRed</source>
        <translation>Textmenge, unter der eine PDF-Seite per OCR gelesen wird</translation>
    </message>
    <message>
        <source>characters</source>
        <translation>Zeichen</translation>
    </message>
    <message>
        <source>OCR confidence below which a page gives a warning</source>
        <translation>OCR-Konfidenz, unter der eine Seite eine Warnung ergibt</translation>
    </message>
    <message>
        <source>memory warning limit</source>
        <translation>Speicher-Warngrenze</translation>
    </message>
    <message>
        <source>%1 must be Tesseract language codes joined by &apos;+&apos;, such as eng+deu (is &apos;%2&apos;)</source>
        <translation>%1 müssen Tesseract-Sprachcodes sein, mit &apos;+&apos; verbunden, etwa eng+deu (ist &apos;%2&apos;)</translation>
    </message>
    <message>
        <source>memory budget</source>
        <translation>Speicherbudget</translation>
    </message>
    <message>
        <source>following symbolic links out of a folder</source>
        <translation>Folgen symbolischer Links aus einem Ordner heraus</translation>
    </message>
</context>
<context>
    <name>Docpipe::Search</name>
    <message>
        <source>%1 (%2 dimensions)</source>
        <translation>%1 (%2 Dimensionen)</translation>
    </message>
    <message>
        <source>The chunks were embedded with %1, but the query would be embedded with %2: vectors of different models or dimensions cannot be compared. Search with the embedder that embedded the chunks, or re-run the jobs with this one.</source>
        <translation>Die Abschnitte wurden mit %1 eingebettet, die Suchanfrage würde aber mit %2 eingebettet: Vektoren verschiedener Modelle oder Dimensionen lassen sich nicht vergleichen. Suchen Sie mit dem Embedder, der die Abschnitte eingebettet hat, oder führen Sie die Aufträge mit diesem erneut aus.</translation>
    </message>
    <message>
        <source>Type what to search for.</source>
        <translation>Geben Sie ein, wonach gesucht werden soll.</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::AlertBanner</name>
    <message>
        <source>Failure rate high</source>
        <translation>Fehlerquote hoch</translation>
    </message>
    <message>
        <source>Jobs stuck</source>
        <translation>Aufträge hängen</translation>
    </message>
    <message>
        <source>No live worker</source>
        <translation>Kein aktiver Worker</translation>
    </message>
    <message>
        <source>Free disk low</source>
        <translation>Wenig freier Speicherplatz</translation>
    </message>
    <message>
        <source>API quota exhausted</source>
        <translation>API-Kontingent erschöpft</translation>
    </message>
    <message>
        <source>Remote service outage</source>
        <translation>Ausfall eines entfernten Dienstes</translation>
    </message>
    <message>
        <source>Queue growing</source>
        <translation>Warteschlange wächst</translation>
    </message>
    <message>
        <source>%1 (since %2): %3</source>
        <translation>%1 (seit %2): %3</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::ApiKeyField</name>
    <message>
        <source>not set</source>
        <translation>nicht gesetzt</translation>
    </message>
    <message>
        <source>Show the key</source>
        <translation>Schlüssel anzeigen</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <source>Checking the system keychain…</source>
        <translation>Schlüsselbund des Systems wird geprüft…</translation>
    </message>
    <message>
        <source>Stored in the system keychain.</source>
        <translation>Im Schlüsselbund des Systems gespeichert.</translation>
    </message>
    <message>
        <source>From %1; Save stores it in the system keychain.</source>
        <translation>Aus %1; Speichern legt ihn im Schlüsselbund des Systems ab.</translation>
    </message>
    <message>
        <source>Kept in the system keychain, never in the settings file.</source>
        <translation>Wird im Schlüsselbund des Systems aufbewahrt, nie in der Einstellungsdatei.</translation>
    </message>
    <message>
        <source>No system keychain; keys come from %1.</source>
        <translation>Kein Schlüsselbund verfügbar; Schlüssel kommen aus %1.</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::DatabasePage</name>
    <message>
        <source>SQLite file on this computer</source>
        <translation>SQLite-Datei auf diesem Computer</translation>
    </message>
    <message>
        <source>PostgreSQL server (shared by several workers)</source>
        <translation>PostgreSQL-Server (von mehreren Workern geteilt)</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Verbindung testen</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Database file</source>
        <translation>Datenbankdatei</translation>
    </message>
    <message>
        <source>SQLite databases (*.sqlite *.db);;All files (*)</source>
        <translation>SQLite-Datenbanken (*.sqlite *.db);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>Datei:</translation>
    </message>
    <message>
        <source>URL:</source>
        <translation>URL:</translation>
    </message>
    <message>
        <source>A PostgreSQL URL starts with postgresql://, e.g. postgresql://user:password@host:5432/docpipe.</source>
        <translation>Eine PostgreSQL-URL beginnt mit postgresql://, z. B. postgresql://benutzer:passwort@host:5432/docpipe.</translation>
    </message>
    <message>
        <source>This is a PostgreSQL URL: choose &quot;PostgreSQL server&quot; above.</source>
        <translation>Das ist eine PostgreSQL-URL: Wählen Sie oben „PostgreSQL-Server“.</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::DroppedPaths</name>
    <message>
        <source>skipped %1: %2 is not a supported document (PDF, DOCX, HTML, Markdown, text, or a PNG, JPEG or TIFF image)</source>
        <translation>%1 übersprungen: %2 ist kein unterstütztes Dokument (PDF, DOCX, HTML, Markdown, Text oder ein PNG-, JPEG- oder TIFF-Bild)</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::ErrorLogDock</name>
    <message>
        <source>Errors</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>All stages</source>
        <translation>Alle Stufen</translation>
    </message>
    <message>
        <source>All codes</source>
        <translation>Alle Codes</translation>
    </message>
    <message>
        <source>Search documents, codes, messages…</source>
        <translation>Dokumente, Codes, Meldungen durchsuchen…</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>CSV &amp;exportieren…</translation>
    </message>
    <message>
        <source>Show &amp;job</source>
        <translation>&amp;Auftrag zeigen</translation>
    </message>
    <message>
        <source>Errors: %L1</source>
        <translation>Fehler: %L1</translation>
    </message>
    <message>
        <source>%L1 of %L2 errors</source>
        <translation>%L1 von %L2 Fehlern</translation>
    </message>
    <message>
        <source>Export errors</source>
        <translation>Fehler exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>%1 konnte nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::ErrorLogModel</name>
    <message>
        <source>Retrying</source>
        <translation>Wird wiederholt</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Lease expired</source>
        <translation>Worker verloren</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Dokument</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::IngestNotice</name>
    <message>
        <source>Files not added</source>
        <translation>Nicht hinzugefügte Dateien</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) or folder(s) were not added as jobs:</source>
        <translation>
            <numerusform>%n Datei oder Ordner wurde nicht als Auftrag hinzugefügt:</numerusform>
            <numerusform>%n Dateien oder Ordner wurden nicht als Aufträge hinzugefügt:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::InterfacePage</name>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Sprache:</translation>
    </message>
    <message>
        <source>A new language applies the next time Docpipe starts.</source>
        <translation>Eine neue Sprache gilt ab dem nächsten Start von Docpipe.</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Show a job as stalled after:</source>
        <translation>Auftrag als festgefahren zeigen nach:</translation>
    </message>
    <message>
        <source>A running job whose progress has not moved for this long is marked stalled in the jobs table and counted on the dashboard.</source>
        <translation>Ein laufender Auftrag, dessen Fortschritt sich so lange nicht bewegt hat, wird in der Auftragstabelle als festgefahren markiert und im Dashboard gezählt.</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::JobActions</name>
    <message>
        <source>&amp;Details…</source>
        <translation>&amp;Details…</translation>
    </message>
    <message>
        <source>Show the selected job&apos;s timeline, error, text and chunks</source>
        <translation>Zeitverlauf, Fehler, Text und Abschnitte des gewählten Auftrags zeigen</translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <source>Retry the selected failed or cancelled jobs from their last checkpoint</source>
        <translation>Die gewählten fehlgeschlagenen oder abgebrochenen Aufträge ab ihrem letzten Prüfpunkt wiederholen</translation>
    </message>
    <message>
        <source>Retry &amp;All Failed…</source>
        <translation>&amp;Alle fehlgeschlagenen wiederholen…</translation>
    </message>
    <message>
        <source>Retry every failed job</source>
        <translation>Jeden fehlgeschlagenen Auftrag wiederholen</translation>
    </message>
    <message>
        <source>Re-run from &amp;Start</source>
        <translation>Von vorn &amp;neu starten</translation>
    </message>
    <message>
        <source>Send the selected jobs back to the start, dropping their text, chunks and vectors</source>
        <translation>Die gewählten Aufträge an den Anfang zurückschicken; Text, Abschnitte und Vektoren werden verworfen</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>Ab&amp;brechen</translation>
    </message>
    <message>
        <source>Cancel the selected queued or running jobs</source>
        <translation>Die gewählten wartenden oder laufenden Aufträge abbrechen</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Copy the selected rows as tab-separated text</source>
        <translation>Die gewählten Zeilen als tabulatorgetrennten Text kopieren</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pausieren</translation>
    </message>
    <message>
        <source>Stop every worker from claiming new work</source>
        <translation>Kein Worker übernimmt mehr neue Arbeit</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>A&amp;ktualisieren</translation>
    </message>
    <message>
        <source>Read the database now and check the services again</source>
        <translation>Die Datenbank jetzt lesen und die Dienste erneut prüfen</translation>
    </message>
    <message>
        <source>Resu&amp;me</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>Let workers claim work again</source>
        <translation>Worker dürfen wieder Arbeit übernehmen</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::JobController</name>
    <message>
        <source>Retry failed: %1</source>
        <translation>Wiederholen fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>Retrying %n job(s); %1 were neither failed nor cancelled (use Re-run from start for those).</source>
        <translation>
            <numerusform>%n Auftrag wird wiederholt; %1 waren weder fehlgeschlagen noch abgebrochen (dafür „Von vorn neu starten“ verwenden).</numerusform>
            <numerusform>%n Aufträge werden wiederholt; %1 waren weder fehlgeschlagen noch abgebrochen (dafür „Von vorn neu starten“ verwenden).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Retrying %n job(s).</source>
        <translation>
            <numerusform>%n Auftrag wird wiederholt.</numerusform>
            <numerusform>%n Aufträge werden wiederholt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Re-run failed: %1</source>
        <translation>Neustart fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>Re-running %n job(s) from the start.</source>
        <translation>
            <numerusform>%n Auftrag wird von vorn neu gestartet.</numerusform>
            <numerusform>%n Aufträge werden von vorn neu gestartet.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancel failed: %1</source>
        <translation>Abbrechen fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>Cancelled %n job(s); %1 had already finished, failed or been cancelled.</source>
        <translation>
            <numerusform>%n Auftrag abgebrochen; %1 waren bereits fertig, fehlgeschlagen oder abgebrochen.</numerusform>
            <numerusform>%n Aufträge abgebrochen; %1 waren bereits fertig, fehlgeschlagen oder abgebrochen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancelled %n job(s).</source>
        <translation>
            <numerusform>%n Auftrag abgebrochen.</numerusform>
            <numerusform>%n Aufträge abgebrochen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Pause failed: %1</source>
        <translation>Pausieren fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Resume failed: %1</source>
        <translation>Fortsetzen fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Paused: every worker finishes what it holds and claims nothing new.</source>
        <translation>Pausiert: Jeder Worker beendet, was er hält, und übernimmt nichts Neues.</translation>
    </message>
    <message>
        <source>Resumed.</source>
        <translation>Fortgesetzt.</translation>
    </message>
    <message>
        <source>Cannot list the failed jobs: %1</source>
        <translation>Die fehlgeschlagenen Aufträge können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Could not drain worker %1: %2</source>
        <translation>Worker %1 konnte nicht geleert werden: %2</translation>
    </message>
    <message>
        <source>Worker %1 is not running.</source>
        <translation>Worker %1 läuft nicht.</translation>
    </message>
    <message>
        <source>Worker %1 finishes what it holds, takes nothing new, then stops.</source>
        <translation>Worker %1 beendet, was er hält, nimmt nichts Neues an und hält dann an.</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::JobDetailsDialog</name>
    <message>
        <source>page numbers</source>
        <translation>Seitenzahlen</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n page(s))</source>
        <translation>
            <numerusform>%1 (%n Seite)</numerusform>
            <numerusform>%1 (%n Seiten)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n more</source>
        <translation>
            <numerusform>%n weitere</numerusform>
            <numerusform>%n weitere</numerusform>
        </translation>
    </message>
    <message>
        <source>Dropped as running headers and footers: %1</source>
        <translation>Als Kopf- und Fußzeilen entfernt: %1</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Begonnen</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Worker</source>
        <translation>Worker</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Nach</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Zeitverlauf</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Parsed text</source>
        <translation>Gelesener Text</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Seiten</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>Chunks</source>
        <translation>Abschnitte</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Modell:</translation>
    </message>
    <message>
        <source>Dimensions:</source>
        <translation>Dimensionen:</translation>
    </message>
    <message>
        <source>Vectors stored:</source>
        <translation>Gespeicherte Vektoren:</translation>
    </message>
    <message>
        <source>Embedding</source>
        <translation>Einbettung</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Job %1 — loading…</source>
        <translation>Auftrag %1 — wird geladen…</translation>
    </message>
    <message>
        <source>Not parsed yet.</source>
        <translation>Noch nicht gelesen.</translation>
    </message>
    <message numerus="yes">
        <source>%n page(s); showing the first %1 of %2 characters.</source>
        <translation>
            <numerusform>%n Seite; die ersten %1 von %2 Zeichen werden gezeigt.</numerusform>
            <numerusform>%n Seiten; die ersten %1 von %2 Zeichen werden gezeigt.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n page(s), %1 characters.</source>
        <translation>
            <numerusform>%n Seite, %1 Zeichen.</numerusform>
            <numerusform>%n Seiten, %1 Zeichen.</numerusform>
        </translation>
    </message>
    <message>
        <source>There is no job %1.</source>
        <translation>Es gibt keinen Auftrag %1.</translation>
    </message>
    <message>
        <source>Job %1</source>
        <translation>Auftrag %1</translation>
    </message>
    <message>
        <source>Job %1 — %2</source>
        <translation>Auftrag %1 — %2</translation>
    </message>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n Seite</numerusform>
            <numerusform>%n Seiten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s)</source>
        <translation>
            <numerusform>%n Abschnitt</numerusform>
            <numerusform>%n Abschnitte</numerusform>
        </translation>
    </message>
    <message>
        <source>added %1</source>
        <translation>hinzugefügt %1</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>Errors in the event log:</source>
        <translation>Fehler im Ereignisprotokoll:</translation>
    </message>
    <message>
        <source>No errors.</source>
        <translation>Keine Fehler.</translation>
    </message>
    <message>
        <source>Errors (%1)</source>
        <translation>Fehler (%1)</translation>
    </message>
    <message>
        <source>No chunks stored yet (they are stored when the job is embedded).</source>
        <translation>Noch keine Abschnitte gespeichert (sie werden beim Einbetten gespeichert).</translation>
    </message>
    <message numerus="yes">
        <source>Showing the first %1 of %n chunk(s).</source>
        <translation>
            <numerusform>Die ersten %1 von %n Abschnitt werden gezeigt.</numerusform>
            <numerusform>Die ersten %1 von %n Abschnitten werden gezeigt.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s).</source>
        <translation>
            <numerusform>%n Abschnitt.</numerusform>
            <numerusform>%n Abschnitte.</numerusform>
        </translation>
    </message>
    <message>
        <source>not embedded yet</source>
        <translation>noch nicht eingebettet</translation>
    </message>
    <message numerus="yes">
        <source>%n failed attempt(s)</source>
        <translation>
            <numerusform>%n fehlgeschlagener Versuch</numerusform>
            <numerusform>%n fehlgeschlagene Versuche</numerusform>
        </translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <source>page %1 (%2%)</source>
        <translation>Seite %1 (%2 %)</translation>
    </message>
    <message>
        <source>Read by OCR (mean word confidence): %1.</source>
        <translation>Per OCR gelesen (mittlere Wortkonfidenz): %1.</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::JobFormat</name>
    <message>
        <source>Uploaded</source>
        <translation>Hochgeladen</translation>
    </message>
    <message>
        <source>Parsing</source>
        <translation>Lesen</translation>
    </message>
    <message>
        <source>Parsed</source>
        <translation>Gelesen</translation>
    </message>
    <message>
        <source>Chunking</source>
        <translation>Zerlegen</translation>
    </message>
    <message>
        <source>Chunked</source>
        <translation>Zerlegt</translation>
    </message>
    <message>
        <source>Embedding</source>
        <translation>Einbetten</translation>
    </message>
    <message>
        <source>Embedded</source>
        <translation>Eingebettet</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Hinzugefügt</translation>
    </message>
    <message>
        <source>Moved</source>
        <translation>Weitergegeben</translation>
    </message>
    <message>
        <source>Will retry</source>
        <translation>Wird wiederholt</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>Worker lost</source>
        <translation>Worker verloren</translation>
    </message>
    <message>
        <source>Handed back</source>
        <translation>Zurückgegeben</translation>
    </message>
    <message>
        <source>Retried by operator</source>
        <translation>Vom Bediener wiederholt</translation>
    </message>
    <message>
        <source>Re-run from start</source>
        <translation>Von vorn neu gestartet</translation>
    </message>
    <message>
        <source>Priority changed</source>
        <translation>Priorität geändert</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Bild</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::JobTableModel</name>
    <message>
        <source>Failed during %1</source>
        <translation>Fehlgeschlagen bei: %1</translation>
    </message>
    <message>
        <source>Cancelled at %1</source>
        <translation>Abgebrochen bei: %1</translation>
    </message>
    <message>
        <source>Running: %1</source>
        <translation>Läuft: %1</translation>
    </message>
    <message>
        <source>Done: chunks and vectors stored</source>
        <translation>Fertig: Abschnitte und Vektoren gespeichert</translation>
    </message>
    <message>
        <source>%1, waiting for %2</source>
        <translation>%1, wartet auf: %2</translation>
    </message>
    <message>
        <source>working…</source>
        <translation>in Arbeit…</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Dokument</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Seiten</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <source>Elapsed</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Letzter Fehler</translation>
    </message>
    <message>
        <source>%1 (v%2)</source>
        <translation>%1 (v%2)</translation>
    </message>
    <message>
        <source>Version %1; the file was deleted from its watched folder</source>
        <translation>Version %1; die Datei wurde aus ihrem überwachten Ordner gelöscht</translation>
    </message>
    <message>
        <source>Version %1, current: its chunks are the ones searched and exported</source>
        <translation>Version %1, aktuell: ihre Abschnitte werden durchsucht und exportiert</translation>
    </message>
    <message>
        <source>Version %1, not current: another version&apos;s chunks are searched</source>
        <translation>Version %1, nicht aktuell: die Abschnitte einer anderen Version werden durchsucht</translation>
    </message>
    <message>
        <source>stalled for %1</source>
        <translation>festgefahren seit %1</translation>
    </message>
    <message>
        <source>No progress for %1. Its worker may be stuck or cut off from the database; the job goes back to its last checkpoint when the worker&apos;s lease expires.</source>
        <translation>Seit %1 kein Fortschritt. Sein Worker hängt vielleicht oder hat keine Verbindung zur Datenbank; der Auftrag kehrt zu seinem letzten Prüfpunkt zurück, wenn die Lease des Workers abläuft.</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::JobsView</name>
    <message>
        <source>Search documents…</source>
        <translation>Dokumente suchen…</translation>
    </message>
    <message>
        <source>All stages</source>
        <translation>Alle Stufen</translation>
    </message>
    <message>
        <source>All outcomes</source>
        <translation>Alle Ergebnisse</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>In Arbeit</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message numerus="yes">
        <source>%Ln job(s)</source>
        <translation>
            <numerusform>%Ln Auftrag</numerusform>
            <numerusform>%Ln Aufträge</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln job(s)</source>
        <translation>
            <numerusform>%1 von %Ln Auftrag</numerusform>
            <numerusform>%1 von %Ln Aufträgen</numerusform>
        </translation>
    </message>
    <message>
        <source>Drop documents or folders here
(PDF, DOCX, HTML, Markdown, text, images)
or use Add files.</source>
        <translation>Dokumente oder Ordner hierher ziehen
(PDF, DOCX, HTML, Markdown, Text, Bilder)
oder „Dateien hinzufügen“ verwenden.</translation>
    </message>
    <message>
        <source>No jobs match the filters.</source>
        <translation>Kein Auftrag passt zu den Filtern.</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::MainWindow</name>
    <message>
        <source>The configuration has problems: %1</source>
        <translation>Die Konfiguration hat Fehler: %1</translation>
    </message>
    <message>
        <source>Docpipe</source>
        <translation>Docpipe</translation>
    </message>
    <message>
        <source>Add &amp;Files…</source>
        <translation>Dateien &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>Choose documents to add as jobs</source>
        <translation>Dokumente wählen, die als Aufträge hinzugefügt werden</translation>
    </message>
    <message>
        <source>Add F&amp;older…</source>
        <translation>&amp;Ordner hinzufügen…</translation>
    </message>
    <message>
        <source>Add every document in a folder and its subfolders</source>
        <translation>Jedes Dokument eines Ordners und seiner Unterordner hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Paste Paths</source>
        <translation>Pfade &amp;einfügen</translation>
    </message>
    <message>
        <source>Add the files and folders whose paths are on the clipboard</source>
        <translation>Die Dateien und Ordner hinzufügen, deren Pfade in der Zwischenablage stehen</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>Ein&amp;stellungen…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Suchen…</translation>
    </message>
    <message>
        <source>&amp;Reset Column Layout</source>
        <translation>Spaltenanordnung &amp;zurücksetzen</translation>
    </message>
    <message>
        <source>&amp;About Docpipe</source>
        <translation>Ü&amp;ber Docpipe</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Jobs</source>
        <translation>Auf&amp;träge</translation>
    </message>
    <message>
        <source>&amp;Engine</source>
        <translation>&amp;Verarbeitung</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Werkzeugleiste</translation>
    </message>
    <message>
        <source>The engine could not start: %1</source>
        <translation>Die Verarbeitung konnte nicht starten: %1</translation>
    </message>
    <message>
        <source>Alert (%1): %2</source>
        <translation>Warnung (%1): %2</translation>
    </message>
    <message>
        <source>There are no failed jobs.</source>
        <translation>Es gibt keine fehlgeschlagenen Aufträge.</translation>
    </message>
    <message numerus="yes">
        <source>Retry all %n failed job(s) from their last checkpoint?</source>
        <translation>
            <numerusform>Den %n fehlgeschlagenen Auftrag ab seinem letzten Prüfpunkt wiederholen?</numerusform>
            <numerusform>Alle %n fehlgeschlagenen Aufträge ab ihrem letzten Prüfpunkt wiederholen?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Retry %n Job(s)</source>
        <translation>
            <numerusform>%n Auftrag wiederholen</numerusform>
            <numerusform>%n Aufträge wiederholen</numerusform>
        </translation>
    </message>
    <message>
        <source>Adding %1 of %2</source>
        <translation>%1 von %2 wird hinzugefügt</translation>
    </message>
    <message numerus="yes">
        <source>Re-run %n job(s) from the start? Their parsed text, chunks and vectors are dropped.</source>
        <translation>
            <numerusform>%n Auftrag von vorn neu starten? Sein gelesener Text, seine Abschnitte und Vektoren werden verworfen.</numerusform>
            <numerusform>%n Aufträge von vorn neu starten? Ihr gelesener Text, ihre Abschnitte und Vektoren werden verworfen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Re-run</source>
        <translation>Neu starten</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Wird gelesen…</translation>
    </message>
    <message numerus="yes">
        <source>Adding %n dropped item(s)…</source>
        <translation>
            <numerusform>%n abgelegtes Element wird hinzugefügt…</numerusform>
            <numerusform>%n abgelegte Elemente werden hinzugefügt…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Added %n document(s).</source>
        <translation>
            <numerusform>%n Dokument hinzugefügt.</numerusform>
            <numerusform>%n Dokumente hinzugefügt.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n duplicate(s) of existing jobs, not added again: %1.</source>
        <translation>
            <numerusform>%n Duplikat eines vorhandenen Auftrags, nicht erneut hinzugefügt: %1.</numerusform>
            <numerusform>%n Duplikate vorhandener Aufträge, nicht erneut hinzugefügt: %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) skipped (see the notice).</source>
        <translation>
            <numerusform>%n Element übersprungen (siehe Hinweis).</numerusform>
            <numerusform>%n Elemente übersprungen (siehe Hinweis).</numerusform>
        </translation>
    </message>
    <message>
        <source>Documents (*.pdf *.docx *.html *.htm *.xhtml *.md *.markdown *.txt *.text);;All files (*)</source>
        <translation>Dokumente (*.pdf *.docx *.html *.htm *.xhtml *.md *.markdown *.txt *.text);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Add Documents</source>
        <translation>Dokumente hinzufügen</translation>
    </message>
    <message>
        <source>Add Folder</source>
        <translation>Ordner hinzufügen</translation>
    </message>
    <message>
        <source>The clipboard holds no file or folder paths.</source>
        <translation>Die Zwischenablage enthält keine Datei- oder Ordnerpfade.</translation>
    </message>
    <message>
        <source>This window only watches the database.</source>
        <translation>Dieses Fenster beobachtet nur die Datenbank.</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Wird angehalten…</translation>
    </message>
    <message>
        <source>About Docpipe</source>
        <translation>Über Docpipe</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Docpipe %1&lt;/h3&gt;&lt;p&gt;Turns documents into stored, embedded chunks, and shows every step.&lt;/p&gt;&lt;p&gt;Database: %2&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Docpipe %1&lt;/h3&gt;&lt;p&gt;Verwandelt Dokumente in gespeicherte, eingebettete Abschnitte und zeigt jeden Schritt.&lt;/p&gt;&lt;p&gt;Datenbank: %2&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Stopping: finishing or handing back unfinished work…</source>
        <translation>Wird angehalten: Unfertige Arbeit wird beendet oder zurückgegeben…</translation>
    </message>
    <message>
        <source>The new language applies when Docpipe starts again.</source>
        <translation>Die neue Sprache gilt ab dem nächsten Start von Docpipe.</translation>
    </message>
    <message>
        <source>Settings saved. The new database is used when Docpipe starts again.</source>
        <translation>Einstellungen gespeichert. Die neue Datenbank wird beim nächsten Start von Docpipe verwendet.</translation>
    </message>
    <message>
        <source>Settings saved. The engine restarts with them once its running work is finished or handed back.</source>
        <translation>Einstellungen gespeichert. Die Engine startet damit neu, sobald ihre laufende Arbeit beendet oder zurückgegeben ist.</translation>
    </message>
    <message>
        <source>Docpipe alert: %1</source>
        <translation>Docpipe-Alarm: %1</translation>
    </message>
    <message>
        <source>Docpipe: resolved</source>
        <translation>Docpipe: behoben</translation>
    </message>
    <message>
        <source>Ctrl+Shift+F</source>
        <translation>Ctrl+Shift+F</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::NotificationPolicy</name>
    <message numerus="yes">
        <source>%n document(s) embedded, %1 failed.</source>
        <translation>
            <numerusform>%n Dokument eingebettet, %1 fehlgeschlagen.</numerusform>
            <numerusform>%n Dokumente eingebettet, %1 fehlgeschlagen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n document(s) embedded.</source>
        <translation>
            <numerusform>%n Dokument eingebettet.</numerusform>
            <numerusform>%n Dokumente eingebettet.</numerusform>
        </translation>
    </message>
    <message>
        <source>Docpipe: batch finished</source>
        <translation>Docpipe: Stapel fertig</translation>
    </message>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <translation>
            <numerusform>%1 und %n weiterer</numerusform>
            <numerusform>%1 und %n weitere</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Docpipe: %n job(s) failed</source>
        <translation>
            <numerusform>Docpipe: %n Auftrag fehlgeschlagen</numerusform>
            <numerusform>Docpipe: %n Aufträge fehlgeschlagen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::ProcessingPage</name>
    <message>
        <source> tokens</source>
        <translation> Tokens</translation>
    </message>
    <message>
        <source>Chunking</source>
        <translation>Zerlegen</translation>
    </message>
    <message>
        <source>Chunk size:</source>
        <translation>Abschnittsgröße:</translation>
    </message>
    <message>
        <source>Overlap:</source>
        <translation>Überlappung:</translation>
    </message>
    <message>
        <source>Jobs at once, per stage</source>
        <translation>Gleichzeitige Aufträge je Stufe</translation>
    </message>
    <message>
        <source>Parsing:</source>
        <translation>Lesen:</translation>
    </message>
    <message>
        <source>Chunking:</source>
        <translation>Zerlegen:</translation>
    </message>
    <message>
        <source>Embedding:</source>
        <translation>Einbetten:</translation>
    </message>
    <message>
        <source>Retries after transient errors</source>
        <translation>Wiederholungen nach vorübergehenden Fehlern</translation>
    </message>
    <message>
        <source>Attempts:</source>
        <translation>Versuche:</translation>
    </message>
    <message>
        <source>First delay:</source>
        <translation>Erste Wartezeit:</translation>
    </message>
    <message>
        <source>Longest delay:</source>
        <translation>Längste Wartezeit:</translation>
    </message>
    <message>
        <source>The first delay cannot be longer than the longest delay.</source>
        <translation>Die erste Wartezeit darf nicht länger als die längste sein.</translation>
    </message>
    <message>
        <source>Read pages without text (scans, images) by OCR</source>
        <translation>Seiten ohne Text (Scans, Bilder) per OCR lesen</translation>
    </message>
    <message>
        <source> dpi</source>
        <translation> dpi</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>OCR (local parser)</source>
        <translation>OCR (lokaler Parser)</translation>
    </message>
    <message>
        <source>Tesseract language codes joined by &apos;+&apos;; each needs its tesseract-ocr-&lt;code&gt; package.</source>
        <translation>Tesseract-Sprachcodes, mit &apos;+&apos; verbunden; jeder braucht sein Paket tesseract-ocr-&lt;code&gt;.</translation>
    </message>
    <message>
        <source>Languages:</source>
        <translation>Sprachen:</translation>
    </message>
    <message>
        <source>Resolution:</source>
        <translation>Auflösung:</translation>
    </message>
    <message>
        <source>Warn below confidence:</source>
        <translation>Warnen unter Konfidenz:</translation>
    </message>
    <message>
        <source> MB</source>
        <translation> MB</translation>
    </message>
    <message>
        <source>Follow symbolic links that lead out of the folder</source>
        <translation>Symbolischen Links folgen, die aus dem Ordner herausführen</translation>
    </message>
    <message>
        <source>Work starts while its estimated memory fits in this budget (a long PDF weighs more than a short one); a document bigger than the budget runs alone.</source>
        <translation>Arbeit beginnt, solange ihr geschätzter Speicher in dieses Budget passt (ein langes PDF wiegt mehr als ein kurzes); ein Dokument, das größer als das Budget ist, läuft allein.</translation>
    </message>
    <message>
        <source>Memory budget:</source>
        <translation>Speicherbudget:</translation>
    </message>
    <message>
        <source>Dropped and watched folders</source>
        <translation>Abgelegte und überwachte Ordner</translation>
    </message>
    <message>
        <source>Off: a link to a file outside the folder (say, to a password file) is skipped and named in the notice. Named pipes and devices are never read.</source>
        <translation>Aus: Ein Link auf eine Datei außerhalb des Ordners (etwa auf eine Passwortdatei) wird übersprungen und im Hinweis genannt. Benannte Pipes und Geräte werden nie gelesen.</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::SearchPanel</name>
    <message>
        <source>Search</source>
        <translation>Suche</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Suchen</translation>
    </message>
    <message>
        <source>Search the embedded chunks…</source>
        <translation>Die eingebetteten Abschnitte durchsuchen…</translation>
    </message>
    <message>
        <source>How many chunks to show</source>
        <translation>Wie viele Abschnitte angezeigt werden</translation>
    </message>
    <message>
        <source>All documents</source>
        <translation>Alle Dokumente</translation>
    </message>
    <message>
        <source>Only chunks of the document with this name</source>
        <translation>Nur Abschnitte des Dokuments mit diesem Namen</translation>
    </message>
    <message>
        <source>Results:</source>
        <translation>Treffer:</translation>
    </message>
    <message>
        <source>Document:</source>
        <translation>Dokument:</translation>
    </message>
    <message>
        <source>Type what to search for.</source>
        <translation>Geben Sie ein, wonach gesucht werden soll.</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Suche läuft…</translation>
    </message>
    <message>
        <source>No chunks are embedded yet.</source>
        <translation>Es sind noch keine Abschnitte eingebettet.</translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s) found</source>
        <translation>
            <numerusform>%n Abschnitt gefunden</numerusform>
            <numerusform>%n Abschnitte gefunden</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 searched with %2</source>
        <translation>%1 mit %2 durchsucht</translation>
    </message>
    <message>
        <source>lexical search: the local embedder matches shared words, not meaning</source>
        <translation>lexikalische Suche: Der lokale Embedder vergleicht gemeinsame Wörter, nicht die Bedeutung</translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s) embedded with another model were not compared</source>
        <translation>
            <numerusform>%n mit einem anderen Modell eingebetteter Abschnitt wurde nicht verglichen</numerusform>
            <numerusform>%n mit einem anderen Modell eingebettete Abschnitte wurden nicht verglichen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::SearchResultsModel</name>
    <message>
        <source>Job %1, chunk %2</source>
        <translation>Auftrag %1, Abschnitt %2</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Ähnlichkeit</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Dokument</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Seiten</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::ServiceStatus</name>
    <message>
        <source>OK: %1</source>
        <translation>OK: %1</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source> (%1 ms)</source>
        <translation> (%1 ms)</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Wird geprüft…</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::ServicesPage</name>
    <message>
        <source>Parser</source>
        <translation>Parser</translation>
    </message>
    <message>
        <source>Parser:</source>
        <translation>Parser:</translation>
    </message>
    <message>
        <source>Local (PDF, DOCX, HTML, Markdown, text, OCR of scans and images; no network)</source>
        <translation>Lokal (PDF, DOCX, HTML, Markdown, Text, OCR für Scans und Bilder; ohne Netzwerk)</translation>
    </message>
    <message>
        <source>LlamaParse (cloud service)</source>
        <translation>LlamaParse (Cloud-Dienst)</translation>
    </message>
    <message>
        <source>Test parser</source>
        <translation>Parser testen</translation>
    </message>
    <message>
        <source>Embedder</source>
        <translation>Embedder</translation>
    </message>
    <message>
        <source>Embedder:</source>
        <translation>Embedder:</translation>
    </message>
    <message>
        <source>Local (lexical hashing, 384 dimensions; no network)</source>
        <translation>Lokal (lexikalisches Hashing, 384 Dimensionen; ohne Netzwerk)</translation>
    </message>
    <message>
        <source>OpenAI-compatible API (OpenAI, Ollama, vLLM, …)</source>
        <translation>OpenAI-kompatible API (OpenAI, Ollama, vLLM, …)</translation>
    </message>
    <message>
        <source>Test embedder</source>
        <translation>Embedder testen</translation>
    </message>
    <message>
        <source>Base URL:</source>
        <translation>Basis-URL:</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>API-Schlüssel:</translation>
    </message>
    <message>
        <source>the service&apos;s default</source>
        <translation>Vorgabe des Dienstes</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Modell:</translation>
    </message>
    <message>
        <source>model default</source>
        <translation>Vorgabe des Modells</translation>
    </message>
    <message>
        <source>Dimensions:</source>
        <translation>Dimensionen:</translation>
    </message>
    <message>
        <source> texts</source>
        <translation> Texte</translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation>Stapelgröße:</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>keine Grenze</translation>
    </message>
    <message>
        <source>Requests per minute:</source>
        <translation>Anfragen pro Minute:</translation>
    </message>
    <message>
        <source>Tokens per minute:</source>
        <translation>Tokens pro Minute:</translation>
    </message>
    <message>
        <source>v2 (current)</source>
        <translation>v2 (aktuell)</translation>
    </message>
    <message>
        <source>v1 (older)</source>
        <translation>v1 (älter)</translation>
    </message>
    <message>
        <source>API:</source>
        <translation>API:</translation>
    </message>
    <message>
        <source>Fast (text only)</source>
        <translation>Schnell (nur Text)</translation>
    </message>
    <message>
        <source>Cost-effective</source>
        <translation>Kostengünstig</translation>
    </message>
    <message>
        <source>Agentic</source>
        <translation>Agentisch</translation>
    </message>
    <message>
        <source>Agentic plus</source>
        <translation>Agentisch plus</translation>
    </message>
    <message>
        <source>Tier:</source>
        <translation>Stufe:</translation>
    </message>
    <message>
        <source>latest, or a date such as 2026-08-19</source>
        <translation>latest oder ein Datum wie 2026-08-19</translation>
    </message>
    <message>
        <source>Version:</source>
        <translation>Version:</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::SettingsDialog</name>
    <message>
        <source>Docpipe Settings</source>
        <translation>Docpipe-Einstellungen</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Dienste</translation>
    </message>
    <message>
        <source>Processing</source>
        <translation>Verarbeitung</translation>
    </message>
    <message>
        <source>Interface</source>
        <translation>Oberfläche</translation>
    </message>
    <message>
        <source>Fix the settings marked in red to save (%L1 left).</source>
        <translation>Korrigieren Sie die rot markierten Einstellungen, um zu speichern (noch %L1).</translation>
    </message>
    <message>
        <source>The system keychain did not store the key (%1). Docpipe uses it until it closes; set %2 to keep it.</source>
        <translation>Der Schlüsselbund des Systems hat den Schlüssel nicht gespeichert (%1). Docpipe verwendet ihn bis zum Beenden; setzen Sie %2, um ihn zu behalten.</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::SettingsPage</name>
    <message>
        <source>Enter a number from %1 to %2.</source>
        <translation>Geben Sie eine Zahl von %1 bis %2 ein.</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::StageCard</name>
    <message>
        <source>Waiting</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Laufend</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1/min</source>
        <translation>%1/min</translation>
    </message>
    <message>
        <source>%1 · p50 %2 · p95 %3</source>
        <translation>%1 · p50 %2 · p95 %3</translation>
    </message>
    <message>
        <source>Running jobs whose progress has not moved for longer than the stalled threshold (Settings, Interface)</source>
        <translation>Laufende Aufträge, deren Fortschritt sich länger als die Schwelle nicht bewegt hat (Einstellungen, Oberfläche)</translation>
    </message>
    <message numerus="yes">
        <source>%n stalled</source>
        <translation>
            <numerusform>%n festgefahren</numerusform>
            <numerusform>%n festgefahren</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::StageDashboard</name>
    <message>
        <source>Throughput</source>
        <translation>Durchsatz</translation>
    </message>
    <message>
        <source>per minute</source>
        <translation>pro Minute</translation>
    </message>
    <message>
        <source>Queue depth</source>
        <translation>Warteschlange</translation>
    </message>
    <message>
        <source>jobs waiting</source>
        <translation>wartende Aufträge</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>per 5 s</source>
        <translation>pro 5 s</translation>
    </message>
    <message>
        <source>Latency (last 10 min)</source>
        <translation>Latenz (letzte 10 min)</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>p50</source>
        <translation>p50</translation>
    </message>
    <message>
        <source>p95</source>
        <translation>p95</translation>
    </message>
    <message>
        <source>Retried</source>
        <translation>Wiederholt</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Lease expired</source>
        <translation>Worker verloren</translation>
    </message>
    <message>
        <source>s</source>
        <translation>s</translation>
    </message>
    <message>
        <source>per %1 s</source>
        <translation>pro %1 s</translation>
    </message>
    <message>
        <source>The charts&apos; time span; Auto fits it to the latest run of work</source>
        <translation>Zeitspanne der Diagramme; Auto passt sie an den letzten Arbeitslauf an</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>Auto</translation>
    </message>
    <message>
        <source>5 min</source>
        <translation>5 Min.</translation>
    </message>
    <message>
        <source>1 h</source>
        <translation>1 Std.</translation>
    </message>
    <message>
        <source>24 h</source>
        <translation>24 Std.</translation>
    </message>
    <message>
        <source>per %1 min</source>
        <translation>pro %1 Min.</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::StatusIndicators</name>
    <message>
        <source>Database: connecting…</source>
        <translation>Datenbank: verbinde…</translation>
    </message>
    <message>
        <source>Database: connected</source>
        <translation>Datenbank: verbunden</translation>
    </message>
    <message>
        <source>Database: unreachable</source>
        <translation>Datenbank: nicht erreichbar</translation>
    </message>
    <message>
        <source>Parser: checking…</source>
        <translation>Parser: wird geprüft…</translation>
    </message>
    <message>
        <source>Embedder: checking…</source>
        <translation>Embedder: wird geprüft…</translation>
    </message>
    <message>
        <source>reachable</source>
        <translation>erreichbar</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>nicht erreichbar</translation>
    </message>
    <message>
        <source>Parser: %1</source>
        <translation>Parser: %1</translation>
    </message>
    <message>
        <source>Embedder: %1</source>
        <translation>Embedder: %1</translation>
    </message>
    <message>
        <source>Engine: starting…</source>
        <translation>Verarbeitung: startet…</translation>
    </message>
    <message>
        <source>Engine: running</source>
        <translation>Verarbeitung: läuft</translation>
    </message>
    <message>
        <source>Engine: paused</source>
        <translation>Verarbeitung: pausiert</translation>
    </message>
    <message>
        <source>No worker claims new work until resumed.</source>
        <translation>Kein Worker übernimmt neue Arbeit, bis fortgesetzt wird.</translation>
    </message>
    <message>
        <source>Engine: stopped</source>
        <translation>Verarbeitung: angehalten</translation>
    </message>
    <message>
        <source>Engine: failed to start</source>
        <translation>Verarbeitung: Start fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 on %2 (pid %3), %4, last heartbeat %5</source>
        <translation>%1 auf %2 (PID %3), %4, letztes Lebenszeichen %5</translation>
    </message>
    <message numerus="yes">
        <source>%n worker(s)</source>
        <translation>
            <numerusform>%n Worker</numerusform>
            <numerusform>%n Worker</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) wait and no worker is alive.</source>
        <translation>
            <numerusform>%n Auftrag wartet und kein Worker ist aktiv.</numerusform>
            <numerusform>%n Aufträge warten und kein Worker ist aktiv.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2 free of %3</source>
        <translation>%1: %2 von %3 frei</translation>
    </message>
    <message>
        <source>Alert below %1 free (alerts/min_free_disk_mb).</source>
        <translation>Alarm unter %1 frei (alerts/min_free_disk_mb).</translation>
    </message>
    <message>
        <source>Disk: %1 free</source>
        <translation>Speicher: %1 frei</translation>
    </message>
    <message>
        <source>CPU %1 · %2</source>
        <translation>CPU %1 · %2</translation>
    </message>
    <message numerus="yes">
        <source>This process: %1 of the machine&apos;s %n core(s), %2 resident (amber from 75% of %3, red above it: alerts/max_memory_mb).</source>
        <translation>
            <numerusform>Dieser Prozess: %1 des %n Prozessorkerns der Maschine, %2 im Speicher (gelb ab 75 % von %3, rot darüber: alerts/max_memory_mb).</numerusform>
            <numerusform>Dieser Prozess: %1 der %n Prozessorkerne der Maschine, %2 im Speicher (gelb ab 75 % von %3, rot darüber: alerts/max_memory_mb).</numerusform>
        </translation>
    </message>
    <message>
        <source>The database&apos;s size on its server.</source>
        <translation>Die Größe der Datenbank auf ihrem Server.</translation>
    </message>
    <message>
        <source>The database&apos;s size; %1 free on its disk (amber when the database is over half of that, red when over all of it: it could not be copied or vacuumed).</source>
        <translation>Die Größe der Datenbank; %1 frei auf ihrem Datenträger (gelb, wenn die Datenbank mehr als die Hälfte davon belegt, rot, wenn mehr als alles: sie könnte weder kopiert noch bereinigt werden).</translation>
    </message>
    <message>
        <source>DB %1</source>
        <translation>DB %1</translation>
    </message>
    <message>
        <source>Estimated memory of the stage work running now: %1 of the budget of %2 (engine/memory_budget_mb). Work that does not fit waits until it does; one job bigger than the budget runs alone.</source>
        <translation>Geschätzter Speicher der gerade laufenden Stufenarbeit: %1 vom Budget von %2 (engine/memory_budget_mb). Arbeit, die nicht passt, wartet, bis sie passt; ein Auftrag, der größer als das Budget ist, läuft allein.</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) waiting for memory.</source>
        <translation>
            <numerusform>%n Auftrag wartet auf Speicher.</numerusform>
            <numerusform>%n Aufträge warten auf Speicher.</numerusform>
        </translation>
    </message>
    <message>
        <source>Work %1/%2 MB</source>
        <translation>Arbeit %1/%2 MB</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::TrayNotifier</name>
    <message>
        <source>Docpipe</source>
        <translation>Docpipe</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::WorkerTableModel</name>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Draining</source>
        <translation>Leert sich</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>Verloren</translation>
    </message>
    <message>
        <source>Worker</source>
        <translation>Worker</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>Prozess</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <source>Last heartbeat</source>
        <translation>Letztes Lebenszeichen</translation>
    </message>
    <message>
        <source>Jobs held</source>
        <translation>Gehaltene Aufträge</translation>
    </message>
    <message>
        <source>Done (10 min)</source>
        <translation>Erledigt (10 min)</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
</context>
<context>
    <name>Docpipe::Ui::WorkersDock</name>
    <message>
        <source>Workers</source>
        <translation>Worker</translation>
    </message>
    <message>
        <source>Drain</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Let the selected worker finish the jobs it holds, take nothing new, and stop.</source>
        <translation>Den gewählten Worker seine Aufträge beenden lassen, ohne neue anzunehmen; dann hält er an.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Drop documents, watch every stage, read errors, retry.</source>
        <translation>Dokumente ablegen, jede Stufe verfolgen, Fehler lesen, wiederholen.</translation>
    </message>
    <message>
        <source>SQLite file or postgresql:// URL of the database.</source>
        <translation>SQLite-Datei oder postgresql://-URL der Datenbank.</translation>
    </message>
    <message>
        <source>The settings file (INI).</source>
        <translation>Die Einstellungsdatei (INI).</translation>
    </message>
    <message>
        <source>Documents or folders to add.</source>
        <translation>Hinzuzufügende Dokumente oder Ordner.</translation>
    </message>
    <message>
        <source>HTTP service not started: %1</source>
        <translation>HTTP-Dienst nicht gestartet: %1</translation>
    </message>
</context>
</TS>
