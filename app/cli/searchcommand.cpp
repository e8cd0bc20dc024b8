// docpipe-cli search: the retrieval test. The query is embedded with the configured embedder
// (which must be the one that embedded the chunks) and the nearest current chunks are listed.
#include "cli.h"

#include "engine/stagefactory.h"
#include "search/retrieval.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Docpipe::Cli {

namespace {

QString pagesText(int first, int last)
{
    return first == last ? QString::number(first) : QStringLiteral("%1-%2").arg(first).arg(last);
}

QString oneLine(const QString &text, int limit)
{
    QString line = text.simplified();
    if (line.size() > limit)
        line = line.left(limit - 1) + u'…';
    return line;
}

void printJsonAnswer(const Search::SearchAnswer &answer)
{
    QJsonArray results;
    for (const Search::SearchHit &hit : answer.hits)
        results.append(QJsonObject{{QStringLiteral("score"), hit.score},
                                   {QStringLiteral("document"), hit.document},
                                   {QStringLiteral("job"), hit.jobId},
                                   {QStringLiteral("index"), hit.index},
                                   {QStringLiteral("page_start"), hit.pageStart},
                                   {QStringLiteral("page_end"), hit.pageEnd},
                                   {QStringLiteral("text"), hit.text}});
    printJson(QJsonDocument(QJsonObject{{QStringLiteral("results"), results},
                                        {QStringLiteral("model"), answer.model},
                                        {QStringLiteral("dimensions"), answer.dims},
                                        {QStringLiteral("lexical"), answer.lexical}}));
}

void printTable(const Search::SearchAnswer &answer)
{
    if (answer.lexical)
        out() << "lexical search (the local embedder matches shared words, not meaning)\n";
    if (answer.otherSpaces > 0)
        out() << answer.otherSpaces << " chunk(s) embedded with another model were not compared\n";
    if (answer.hits.isEmpty())
        out() << "no chunks found\n";
    for (const Search::SearchHit &hit : answer.hits) {
        out() << QString::number(hit.score, 'f', 3) << "  " << printable(hit.document) << "  job " << hit.jobId
              << "  chunk " << hit.index << "  pages " << pagesText(hit.pageStart, hit.pageEnd) << '\n'
              << "       " << oneLine(hit.text, 160) << '\n';
    }
    out().flush();
}

} // namespace

int runSearch(const Context &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("The chunks nearest to a query by cosine similarity, best first, over current versions only. "
                       "The query is embedded with the configured embedder, which must be the one that embedded the "
                       "chunks."));
    addGlobalOptions(parser);
    parser.addOption({{QStringLiteral("k")},
                      QStringLiteral("How many chunks (default 10)."),
                      QStringLiteral("n"),
                      QStringLiteral("10")});
    parser.addOption(
        {QStringLiteral("document"), QStringLiteral("Only chunks of documents of this name."), QStringLiteral("name")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("One JSON document on stdout.")});
    parser.addPositionalArgument(QStringLiteral("query"), QStringLiteral("What to search for."),
                                 QStringLiteral("QUERY"));
    if (const int code = prepare(parser, QStringLiteral("search"), context))
        return code;
    if (parser.positionalArguments().size() != 1)
        return fail(QStringLiteral("search takes one query (quote it)"), 2);
    bool ok = false;
    const int k = parser.value(QStringLiteral("k")).toInt(&ok);
    if (!ok || k < 1 || k > 1000)
        return fail(
            QStringLiteral("-k takes a whole number from 1 to 1000, not '%1'").arg(parser.value(QStringLiteral("k"))),
            2);
    for (const ConfigProblem &problem : context.config.problems()) {
        if (problem.key.startsWith(QLatin1String("embedder/")))
            return fail(problem.message, 2);
    }

    Search::SearchIndex index;
    const auto embedder = makeEmbedder(context.config);
    auto answer
        = Search::search(context.db, index, *embedder,
                         {parser.positionalArguments().constFirst(), k, parser.value(QStringLiteral("document"))});
    if (!answer)
        return fail(answer.error().message);
    if (parser.isSet(QStringLiteral("json")))
        printJsonAnswer(answer.value());
    else
        printTable(answer.value());
    return 0;
}

} // namespace Docpipe::Cli
