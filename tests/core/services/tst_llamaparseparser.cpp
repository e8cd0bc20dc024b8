// The LlamaParse client against the mock over real HTTP: pages arrive with their boundaries,
// a failed job says why, a job that never ends meets the document's deadline, polling rides out
// an outage, a forgotten job is uploaded again on retry, cancellation stops the poll, and what we
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
    void keepsPageBoundaries();
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

void tst_LlamaParseParser::keepsPageBoundaries()
{
    const auto mock = startMock();
    const LlamaParseParser parser(parserConfig(*mock));
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

void tst_LlamaParseParser::failedJobSaysWhy()
{
    const auto mock = startMock();
    setFault(*mock, u"parse_upload"_s, u"job_failed"_s);
    QThreadPool pool;
    const LlamaParseParser parser(parserConfig(*mock));
    ParseFuture future = parseInBackground(pool, parser, "plain words", u"a.txt"_s);
    QVERIFY(QTest::qWaitFor([&] { return future.isFinished(); }, 20000));
    const StageError error = future.result().error();
    QCOMPARE(error.code, u"llamaparse_job_failed"_s);
    QVERIFY(!error.isTransient());
    QVERIFY2(error.message.contains(u"LlamaParse could not parse the document (ERROR): the mock failed this job"_s),
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
}

void tst_LlamaParseParser::unusableFilesAreNeverUploaded()
{
    const auto mock = startMock();
    const LlamaParseParser parser(parserConfig(*mock));
    QCOMPARE(parser.parse({QByteArray(), u"empty.txt"_s}, {}).error().code, u"empty_file"_s);
    QCOMPARE(parser.parse({QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), u"photo.pdf"_s}, {}).error().code,
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
