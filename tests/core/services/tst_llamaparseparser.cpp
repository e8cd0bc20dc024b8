// The LlamaParse client against the mock over real HTTP, on v2 (the default) and v1: pages arrive
// with their boundaries, the tier and version reach the server, a page that failed is a warning
// and a document with no page parsed fails, a failed job says why, a job that never ends meets the document's deadline,
// polling rides out an outage, a forgotten job is uploaded again on retry, cancellation stops the poll, and what we
// cannot use is never uploaded.
#include "documentgenerator.h"
#include "services/llamaparseparser.h"
#include "servicetesthelpers.h"
#include "stages/parsers/localparser.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFuture>
#include <QJsonArray>
#include <QtConcurrent/QtConcurrentRun>
#include <QTemporaryDir>
#include <QThreadPool>

#include <atomic>

using namespace Docpipe;
using namespace Docpipe::Services;
using namespace Docpipe::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void setFault(MockServer &mock, const QString &route, const QString &fault, int count = 1)
{
    if (const auto problem
        = mock.setFaults(QJsonArray{QJsonObject{{u"route"_s, route}, {u"fault"_s, fault}, {u"count"_s, count}}}))
        qFatal("%s", qPrintable(*problem));
}

using ParseFuture = QFuture<Result<ParsedDocument>>;

ParseFuture parseInBackground(QThreadPool &pool, const LlamaParseParser &parser, const QByteArray &bytes,
                              const QString &name, const StageContext &context = {})
{
    return QtConcurrent::run(&pool, [&parser, bytes, name, context] { return parser.parse({bytes, name}, context); });
}

} // namespace

class tst_LlamaParseParser final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void keepsPageBoundaries_data();
    void keepsPageBoundaries();
    void fastTierReadsTextPages();
    void badConfigurationIsRefused();
    void failedPagesAreWarnings_data();
    void failedPagesAreWarnings();
    void noPageParsedFailsTheJob();
    void failedJobSaysWhy_data();
    void failedJobSaysWhy();
    void neverEndingJobMeetsTheDeadline();
    void pollingRidesOutAnOutage();
    void forgottenJobIsLostNotFailed();
    void cancellationStopsThePoll();
    void unusableFilesAreNeverUploaded();
    void uploadErrorsAreClassified_data();
    void uploadErrorsAreClassified();

private:
    QTemporaryDir m_dir;
    QByteArray m_pdf;
};

void tst_LlamaParseParser::initTestCase()
{
    m_pdf = readAll(writePdf(m_dir.path(), u"four.pdf"_s, 4, 9).path);
    QVERIFY(!m_pdf.isEmpty());
}

void tst_LlamaParseParser::keepsPageBoundaries_data()
{
    QTest::addColumn<QString>("api");
    QTest::newRow("v2") << u"v2"_s;
    QTest::newRow("v1") << u"v1"_s;
}

void tst_LlamaParseParser::keepsPageBoundaries()
{
    QFETCH(QString, api);
    const auto mock = startMock();
    ParserConfig config = parserConfig(*mock);
    config.llamaApi = api;
    const LlamaParseParser parser(config);
    QThreadPool pool;
    ParseFuture future = parseInBackground(pool, parser, m_pdf, u"four.pdf"_s);
    QVERIFY(QTest::qWaitFor([&] { return future.isFinished(); }, 20000));
    const auto parsed = future.result();
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    const auto local = Stages::LocalParser().parse({m_pdf, u"four.pdf"_s}, {});
    QCOMPARE(parsed.value().type, u"pdf"_s);
    QCOMPARE(parsed.value().pages.size(), 4);
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(parsed.value().pages.at(i).number, i + 1);
        QCOMPARE(parsed.value().pages.at(i).text, local.value().pages.at(i).text);
    }
    const MockStats stats = mock->stats();
    QCOMPARE(stats.byRoute.value(u"parse_upload"_s), 1);
    QVERIFY(stats.byRoute.value(u"parse_status"_s) >= 1);
    QCOMPARE(stats.byRoute.value(u"parse_result"_s), 1);
}

void tst_LlamaParseParser::fastTierReadsTextPages()
{
    const auto mock = startMock();
    ParserConfig config = parserConfig(*mock);
    config.llamaTier = u"fast"_s; // no markdown on this tier: the mock refuses expand=markdown
    config.llamaVersion = u"2026-08-19"_s;
    const LlamaParseParser parser(config);
    QThreadPool pool;
    ParseFuture future = parseInBackground(pool, parser, m_pdf, u"four.pdf"_s);
    QVERIFY(QTest::qWaitFor([&] { return future.isFinished(); }, 20000));
    const auto parsed = future.result();
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    QCOMPARE(parsed.value().pages.size(), 4);
    QCOMPARE(parsed.value().pages.at(3).number, 4);
}

void tst_LlamaParseParser::badConfigurationIsRefused()
{
    const auto mock = startMock();
    ParserConfig config = parserConfig(*mock);
    config.llamaVersion = u"someday"_s;
    const StageError error = LlamaParseParser(config).parse({"plain words", u"a.txt"_s}, {}).error();
    QCOMPARE(error.code, u"invalid_request"_s);
    QVERIFY(!error.isTransient());
    QVERIFY2(error.message.contains(u"version"_s), qPrintable(error.message));
}

void tst_LlamaParseParser::failedPagesAreWarnings_data()
{
    QTest::addColumn<QString>("api");
    QTest::addColumn<QList<int>>("pages");
    QTest::addColumn<QStringList>("warnings");
    QTest::newRow("v2")
        << u"v2"_s << QList<int>{1, 3}
        << QStringList{u"LlamaParse could not parse page 2: the mock failed page 2 on purpose (fault page_failed)"_s,
                       u"LlamaParse could not parse page 4: the mock failed page 4 on purpose (fault page_failed)"_s};
    // v1 has only the job's status to say so.
    QTest::newRow("v1") << u"v1"_s << QList<int>{1, 2, 3, 4}
                        << QStringList{u"LlamaParse parsed the document only in part (PARTIAL_SUCCESS)"_s};
}

void tst_LlamaParseParser::failedPagesAreWarnings()
{
    QFETCH(QString, api);
    QFETCH(QList<int>, pages);
    QFETCH(QStringList, warnings);
    const auto mock = startMock();
    setFault(*mock, u"parse_upload"_s, u"page_failed"_s);
    ParserConfig config = parserConfig(*mock);
    config.llamaApi = api;
    const LlamaParseParser parser(config);
    QThreadPool pool;
    ParseFuture future = parseInBackground(pool, parser, m_pdf, u"four.pdf"_s);
    QVERIFY(QTest::qWaitFor([&] { return future.isFinished(); }, 20000));
    const auto parsed = future.result();
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    QList<int> numbers;
    for (const ParsedPage &page : parsed.value().pages)
        numbers << page.number;
    QCOMPARE(numbers, pages);
    QCOMPARE(parsed.value().warnings, warnings);
}

void tst_LlamaParseParser::noPageParsedFailsTheJob()
{
    const auto mock = startMock();
    setFault(*mock, u"parse_upload"_s, u"all_pages_failed"_s);
    const LlamaParseParser parser(parserConfig(*mock));
    QThreadPool pool;
    ParseFuture future = parseInBackground(pool, parser, m_pdf, u"four.pdf"_s);
    QVERIFY(QTest::qWaitFor([&] { return future.isFinished(); }, 20000));
    const StageError error = future.result().error();
    QCOMPARE(error.code, u"llamaparse_no_page_parsed"_s);
    QVERIFY(!error.isTransient());
    QCOMPARE(error.message,
             u"LlamaParse could not parse any page of the document (4 failed; page 1: the mock "
             "failed page 1 on purpose (fault all_pages_failed))"_s);
}

void tst_LlamaParseParser::failedJobSaysWhy_data()
{
    QTest::addColumn<QString>("api");
    QTest::addColumn<QString>("status");
    QTest::newRow("v2") << u"v2"_s << u"FAILED"_s;
    QTest::newRow("v1") << u"v1"_s << u"ERROR"_s;
}

void tst_LlamaParseParser::failedJobSaysWhy()
{
    QFETCH(QString, api);
    QFETCH(QString, status);
    const auto mock = startMock();
    setFault(*mock, u"parse_upload"_s, u"job_failed"_s);
    QThreadPool pool;
    ParserConfig config = parserConfig(*mock);
    config.llamaApi = api;
    const LlamaParseParser parser(config);
    ParseFuture future = parseInBackground(pool, parser, "plain words", u"a.txt"_s);
    QVERIFY(QTest::qWaitFor([&] { return future.isFinished(); }, 20000));
    const StageError error = future.result().error();
    QCOMPARE(error.code, u"llamaparse_job_failed"_s);
    QVERIFY(!error.isTransient());
    QVERIFY2(
        error.message.contains(u"LlamaParse could not parse the document (%1): the mock failed this job"_s.arg(status)),
        qPrintable(error.message));
}

void tst_LlamaParseParser::neverEndingJobMeetsTheDeadline()
{
    const auto mock = startMock();
    setFault(*mock, u"parse_upload"_s, u"never_finish"_s);
    ParserConfig config = parserConfig(*mock);
    config.llamaTimeoutSeconds = 1;
    const LlamaParseParser parser(config);
    QThreadPool pool;
    QElapsedTimer timer;
    timer.start();
    ParseFuture future = parseInBackground(pool, parser, "plain words", u"a.txt"_s);
    QVERIFY(QTest::qWaitFor([&] { return future.isFinished(); }, 10000));
    QVERIFY(timer.elapsed() >= 1000);
    const StageError error = future.result().error();
    QCOMPARE(error.code, u"llamaparse_timeout"_s);
    QVERIFY(error.isTransient());
    QVERIFY(error.message.contains(u"within 1 s"_s));
    QVERIFY(mock->stats().byRoute.value(u"parse_status"_s) >= 3); // it kept asking
    QCOMPARE(mock->stats().byRoute.value(u"parse_cancel"_s), 1); // and then stopped the remote job
}

void tst_LlamaParseParser::pollingRidesOutAnOutage()
{
    MockServerOptions options;
    options.parseMs = 1500;
    const auto mock = startMock(options);
    const LlamaParseParser parser(parserConfig(*mock));
    QThreadPool pool;
    ParseFuture future = parseInBackground(pool, parser, m_pdf, u"four.pdf"_s);
    QTRY_VERIFY(mock->stats().byRoute.value(u"parse_status"_s) >= 1);
    mock->startOutage(700);
    QVERIFY(QTest::qWaitFor([&] { return future.isFinished(); }, 20000));
    const auto parsed = future.result();
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    QCOMPARE(parsed.value().pages.size(), 4);
    QCOMPARE(mock->stats().byRoute.value(u"parse_upload"_s), 1); // the same job, not a new upload
}

void tst_LlamaParseParser::forgottenJobIsLostNotFailed()
{
    MockServerOptions options;
    options.parseMs = 60000;
    auto mock = startMock(options);
    ParserConfig config = parserConfig(*mock);
    const LlamaParseParser parser(config);
    QThreadPool pool;
    ParseFuture future = parseInBackground(pool, parser, "plain words", u"a.txt"_s);
    QTRY_VERIFY(mock->stats().byRoute.value(u"parse_status"_s) >= 1);
    // The service restarts on the same port and knows nothing of the job.
    options.port = mock->port();
    mock.reset();
    mock = startMock(options);
    QVERIFY(QTest::qWaitFor([&] { return future.isFinished(); }, 20000));
    const StageError error = future.result().error();
    QCOMPARE(error.code, u"llamaparse_job_lost"_s);
    QVERIFY(error.isTransient());
}

void tst_LlamaParseParser::cancellationStopsThePoll()
{
    const auto mock = startMock();
    setFault(*mock, u"parse_upload"_s, u"never_finish"_s);
    const LlamaParseParser parser(parserConfig(*mock));
    std::atomic<bool> cancel{false};
    StageContext context;
    context.isCancelled = [&cancel] { return cancel.load(); };
    QThreadPool pool;
    ParseFuture future = parseInBackground(pool, parser, "plain words", u"a.txt"_s, context);
    QTRY_VERIFY(mock->stats().byRoute.value(u"parse_status"_s) >= 2);
    cancel = true;
    QVERIFY(QTest::qWaitFor([&] { return future.isFinished(); }, 2000)); // the deadline is 20 s
    QCOMPARE(future.result().error().code, u"cancelled"_s);
    // The remote job is cancelled too, so it stops costing credits.
    QCOMPARE(mock->stats().byRoute.value(u"parse_cancel"_s), 1);
    QCOMPARE(mock->stats().byStatus.value(200), mock->stats().requests);
}

void tst_LlamaParseParser::unusableFilesAreNeverUploaded()
{
    const auto mock = startMock();
    const LlamaParseParser parser(parserConfig(*mock));
    QCOMPARE(parser.parse({QByteArray(), u"empty.txt"_s}, {}).error().code, u"empty_file"_s);
    // A GIF (PNG, JPEG and TIFF are images LlamaParse reads).
    QCOMPARE(parser.parse({QByteArray("GIF89a\x01\0\x01\0\x80\0\0", 13), u"photo.pdf"_s}, {}).error().code,
             u"unsupported_type"_s);
    QCOMPARE(mock->stats().requests, 0);
}

void tst_LlamaParseParser::uploadErrorsAreClassified_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("transient");
    QTest::newRow("401") << u"auth_rejected"_s << u"auth_rejected"_s << false;
    QTest::newRow("402 credits") << u"insufficient_quota"_s << u"insufficient_quota"_s << false;
    QTest::newRow("503") << u"http_503"_s << u"server_error"_s << true;
    QTest::newRow("422") << u"unprocessable"_s << u"invalid_request"_s << false;
    QTest::newRow("malformed") << u"malformed_json"_s << u"malformed_response"_s << true;
}

void tst_LlamaParseParser::uploadErrorsAreClassified()
{
    QFETCH(QString, fault);
    QFETCH(QString, code);
    QFETCH(bool, transient);
    const auto mock = startMock();
    setFault(*mock, u"parse_upload"_s, fault);
    const LlamaParseParser parser(parserConfig(*mock));
    const StageError error = parser.parse({"plain words", u"a.txt"_s}, {}).error();
    QCOMPARE(error.code, code);
    QCOMPARE(error.isTransient(), transient);
    QVERIFY(!error.message.contains(u"llx-test-key"_s));
    if (code == u"auth_rejected"_s)
        QVERIFY(error.message.contains(u"LLAMA_CLOUD_API_KEY"_s));
}

QTEST_MAIN(tst_LlamaParseParser)
#include "tst_llamaparseparser.moc"
