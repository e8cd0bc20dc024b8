// The official SDKs, unchanged, against a real `docpipe-cli mock-server` process: LlamaCloud's
// @llamaindex/llama-cloud (LlamaParse v2: upload, poll, markdown and text pages of a real
// four-page PDF, cancel) and OpenAI's `openai` (embeddings, base64 by default). The npm packages
// are pinned in sdk/package-lock.json and installed with `npm ci` into the build folder; where
// Node.js or npm is missing the test is skipped, saying so.
#include "../core/services/servicetesthelpers.h"
#include "documentgenerator.h"
#include "mockprocess.h"
#include "mockvectors.h"
#include "stages/chunking/cl100ktokenizer.h"
#include "stages/parsers/localparser.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace Docpipe;
using namespace Docpipe::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

const QString kParseKey = u"llx-SDKparsekey-abcdef0123456789"_s;
const QString kEmbedKey = u"sk-proj-SDKsecret-abcdef0123456789"_s;

struct NodeRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

NodeRun runProcess(const QString &program, const QStringList &arguments, const QString &folder, int timeoutMs)
{
    QProcess process;
    process.setWorkingDirectory(folder);
    process.start(program, arguments);
    NodeRun run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        run.err = "timed out";
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace

class tst_OfficialSdks final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void llamaCloudSdkParsesThroughV2();
    void openAiSdkEmbeds();

private:
    QString m_node;
    QString m_sdkFolder;
    QTemporaryDir m_dir;
    MockProcess m_mock{{kParseKey, kEmbedKey}};
};

void tst_OfficialSdks::initTestCase()
{
    m_node = QStandardPaths::findExecutable(u"node"_s);
    const QString npm = QStandardPaths::findExecutable(u"npm"_s);
    if (m_node.isEmpty() || npm.isEmpty())
        QSKIP("Node.js and npm are not installed (Debian: apt-get install nodejs npm); the official SDK checks "
              "need them");
    const NodeRun version = runProcess(m_node, {u"--version"_s}, QDir::currentPath(), 10000);
    if (version.out.mid(1).split('.').value(0).toInt() < 20)
        QSKIP(qPrintable(u"the pinned SDKs are checked on Node.js 20 or newer; this machine has "_s
                         + QString::fromUtf8(version.out.trimmed())));
    // npm ci installs exactly the locked versions; done again only when the lock file changed.
    m_sdkFolder = QStringLiteral(DOCPIPE_SDK_FOLDER);
    const QFileInfo lock(m_sdkFolder + u"/package-lock.json"_s);
    const QFileInfo installed(m_sdkFolder + u"/node_modules/.package-lock.json"_s);
    if (!installed.exists() || installed.lastModified() < lock.lastModified()) {
        const NodeRun ci
            = runProcess(npm, {u"ci"_s, u"--no-audit"_s, u"--no-fund"_s, u"--loglevel=error"_s}, m_sdkFolder, 300000);
        QVERIFY2(ci.exitCode == 0,
                 qPrintable(u"npm ci failed (the npm registry must be reachable): "_s + QString::fromUtf8(ci.err)));
    }
    QVERIFY(m_dir.isValid());
    QVERIFY2(m_mock.start(), "docpipe-cli mock-server did not start");
}

void tst_OfficialSdks::llamaCloudSdkParsesThroughV2()
{
    const GeneratedDocument pdf = writePdf(m_dir.path(), u"four.pdf"_s, 4, 23);
    const NodeRun run = runProcess(m_node, {u"llamacloud-parse.mjs"_s, m_mock.url().toString(), kParseKey, pdf.path},
                                   m_sdkFolder, 120000);
    QVERIFY2(run.exitCode == 0, qPrintable(QString::fromUtf8(run.err)));
    const QJsonObject out = run.json();
    QCOMPARE(out.value(u"status"_s).toString(), u"COMPLETED"_s);
    QCOMPARE(out.value(u"tier"_s).toString(), u"agentic"_s);

    // The pages the SDK received are the PDF's pages, in order, as a local parse reads them.
    const auto local = Stages::LocalParser().parse({readFileBytes(pdf.path), u"four.pdf"_s}, {});
    QVERIFY(local.ok());
    const QJsonArray markdown = out.value(u"markdownPages"_s).toArray();
    const QJsonArray text = out.value(u"textPages"_s).toArray();
    QCOMPARE(markdown.size(), 4);
    QCOMPARE(text.size(), 4);
    for (int i = 0; i < 4; ++i) {
        const QJsonObject page = markdown.at(i).toObject();
        QCOMPARE(page.value(u"page_number"_s).toInt(), i + 1);
        QVERIFY(page.value(u"success"_s).toBool());
        QCOMPARE(page.value(u"markdown"_s).toString(), local.value().pages.at(i).text);
        QCOMPARE(text.at(i).toObject().value(u"text"_s).toString(), local.value().pages.at(i).text);
    }

    QCOMPARE(out.value(u"createdStatus"_s).toString(), u"PENDING"_s);
    QCOMPARE(out.value(u"idPrefix"_s).toString(), u"pjb-"_s);
    QVERIFY(QStringList({u"PENDING"_s, u"RUNNING"_s}).contains(out.value(u"polledStatus"_s).toString()));
    QCOMPARE(out.value(u"cancelledStatus"_s).toString(), u"CANCELLED"_s);
    QCOMPARE(out.value(u"waitAfterCancel"_s).toString(), u"PollingError"_s);
    QCOMPARE(out.value(u"wrongKey"_s).toString(), u"AuthenticationError 401"_s);

    const QJsonObject routes = m_mock.stats().value(u"by_route"_s).toObject();
    QCOMPARE(routes.value(u"parse_upload"_s).toInt(), 2);
    QVERIFY(routes.value(u"parse_result"_s).toInt() >= 1); // the SDK polls with expand=...
    QCOMPARE(routes.value(u"parse_cancel"_s).toInt(), 1);
}

void tst_OfficialSdks::openAiSdkEmbeds()
{
    const NodeRun run = runProcess(m_node, {u"openai-embeddings.mjs"_s, m_mock.url().toString() + u"/v1"_s, kEmbedKey},
                                   m_sdkFolder, 120000);
    QVERIFY2(run.exitCode == 0, qPrintable(QString::fromUtf8(run.err)));
    const QJsonObject out = run.json();
    const QStringList input{u"The first chunk of a document."_s, u"A second, different chunk."_s};
    // The SDK asked for base64 (its default) and decoded the mock's little-endian floats.
    const QJsonArray vectors = out.value(u"defaultVectors"_s).toArray();
    QCOMPARE(vectors.size(), 2);
    for (int i = 0; i < 2; ++i) {
        const QJsonObject item = vectors.at(i).toObject();
        QCOMPARE(item.value(u"index"_s).toInt(), i);
        const QJsonArray got = item.value(u"embedding"_s).toArray();
        const Vector expected = Services::mockEmbedding(input.at(i), 1536);
        QCOMPARE(got.size(), expected.size());
        for (qsizetype k = 0; k < expected.size(); ++k)
            QCOMPARE(float(got.at(k).toDouble()), expected.at(k));
    }
    // Usage is counted in real cl100k_base tokens, as OpenAI counts them.
    const int tokens = Stages::countCl100kTokens(input.at(0)) + Stages::countCl100kTokens(input.at(1));
    QCOMPARE(out.value(u"usage"_s).toObject().value(u"prompt_tokens"_s).toInt(), tokens);
    QCOMPARE(out.value(u"floatDimensions"_s).toArray(), QJsonArray({256, 256}));
    QCOMPARE(out.value(u"wrongKey"_s).toString(), u"AuthenticationError 401"_s);
}

QTEST_MAIN(tst_OfficialSdks)
#include "tst_officialsdks.moc"
