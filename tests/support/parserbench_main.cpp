// docpipe-parserbench: prints how long the local parsers and the validator take on the cases
// the design cares about (60-page PDF, zip bomb, HTML nested 1,000,000 deep, 200 MB of text).
// Not a ctest test: figures, not assertions.
#include "documentgenerator.h"

#include "stages/parsers/localparser.h"
#include "stages/validation/parsevalidator.h"

#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace Docpipe;
using namespace Docpipe::Stages;
using namespace Docpipe::Test;

namespace {

double medianMs(int runs, const std::function<void()> &work)
{
    QList<double> times;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        work();
        times << double(timer.nsecsElapsed()) / 1e6;
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

void report(const char *what, double ms, const QString &outcome)
{
    std::printf("%-40s %9.1f ms   %s\n", what, ms, qPrintable(outcome));
}

QString outcomeOf(const Result<ParsedDocument> &result)
{
    if (!result.ok())
        return result.error().code;
    qint64 chars = 0;
    for (const ParsedPage &page : result.value().pages)
        chars += page.text.size();
    return QStringLiteral("ok, %1 pages, %2 chars").arg(result.value().pages.size()).arg(chars);
}

void benchParse(const char *what, const QString &path, int runs)
{
    const LocalParser parser;
    const ParseRequest request{readFileBytes(path), path};
    Result<ParsedDocument> last = StageError::permanent(QStringLiteral("none"), {});
    const double ms = medianMs(runs, [&] { last = parser.parse(request, {}); });
    report(what, ms, outcomeOf(last));
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QTemporaryDir dir;
    benchParse("parse 60-page PDF", writePdf(dir.path(), QStringLiteral("p60.pdf"), 60, 1).path, 7);
    benchParse("parse zip bomb (300 MiB, honest header)", writeZipBombDocx(dir.path(), QStringLiteral("a.docx")), 5);
    benchParse("parse zip bomb (300 MiB, lying header)",
               writeZipBombDocx(dir.path(), QStringLiteral("b.docx"), 300LL << 20, false), 5);
    benchParse("parse HTML nested 1,000,000 deep", writeNestedHtml(dir.path(), QStringLiteral("n.html")), 5);

    QByteArray line(200 * 1000 * 1000, 'a');
    for (qsizetype i = 7; i < line.size(); i += 8)
        line[i] = ' ';
    QFile big(dir.filePath(QStringLiteral("line.txt")));
    big.open(QIODevice::WriteOnly);
    big.write(line);
    big.close();
    line.clear();
    benchParse("parse 200 MB single-line text", big.fileName(), 3);

    ParsedDocument doc;
    doc.pages.append(ParsedPage{1, QString(200 * 1000 * 1000, u'a')});
    std::optional<StageError> verdict;
    report("validate 200 M characters", medianMs(3, [&] { verdict = validateParsed(doc); }),
           verdict ? verdict->code : QStringLiteral("ok"));
    return 0;
}
