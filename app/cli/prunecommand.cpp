// docpipe-cli prune: forget finished jobs' events and intermediate data older than a date
// (core/store/retention.h says what is kept). Workers do the same about hourly with
// retention/days; this is for doing it now, or with another cut-off.
#include "cli.h"

#include "store/retention.h"

#include <QDateTime>

namespace Docpipe::Cli {

namespace {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;

// "2026-01-31", "2026-01-31T12:00:00" (local time unless it says otherwise).
std::optional<qint64> parseDate(const QString &text)
{
    const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (time.isValid())
        return time.toMSecsSinceEpoch();
    const QDate date = QDate::fromString(text, Qt::ISODate);
    if (date.isValid())
        return date.startOfDay().toMSecsSinceEpoch();
    return std::nullopt;
}

} // namespace

int runPrune(const Context &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Delete the events, parsed pages and buffers of jobs that ended (embedded or cancelled) before a "
        "date, job rows of cancelled and superseded versions, unused stored files, old fleet events "
        "and stopped workers. Queued, running and failed jobs keep everything; current versions keep "
        "their chunks. Without --before or --older-than: older than retention/days."));
    addGlobalOptions(parser);
    parser.addOption(
        {QStringLiteral("before"), QStringLiteral("Cut-off date (ISO, e.g. 2026-01-31)."), QStringLiteral("DATE")});
    parser.addOption({QStringLiteral("older-than"), QStringLiteral("Cut-off age in days."), QStringLiteral("DAYS")});
    parser.addOption({QStringLiteral("vacuum"),
                      QStringLiteral("Afterwards give the space back: VACUUM (SQLite rewrites the file; needs as much "
                                     "free space as the database) or VACUUM ANALYZE (PostgreSQL).")});
    parser.addOption({QStringLiteral("batch"), QStringLiteral("Rows per transaction (default 1000)."),
                      QStringLiteral("N"), QStringLiteral("1000")});
    if (const int code = prepare(parser, QStringLiteral("prune"), context))
        return code;
    if (parser.isSet(QStringLiteral("before")) && parser.isSet(QStringLiteral("older-than")))
        return fail(QStringLiteral("give --before or --older-than, not both"), 2);

    Store::PruneOptions options;
    if (parser.isSet(QStringLiteral("before"))) {
        const auto before = parseDate(parser.value(QStringLiteral("before")));
        if (!before)
            return fail(QStringLiteral("cannot read --before '%1' (use a date such as 2026-01-31)")
                            .arg(parser.value(QStringLiteral("before"))),
                        2);
        options.beforeMs = *before;
    } else {
        int days = context.config.retention.days;
        if (parser.isSet(QStringLiteral("older-than"))) {
            bool ok = false;
            days = parser.value(QStringLiteral("older-than")).toInt(&ok);
            if (!ok || days < 0)
                return fail(QStringLiteral("--older-than wants a number of days, not '%1'")
                                .arg(parser.value(QStringLiteral("older-than"))),
                            2);
        } else if (days <= 0) {
            return fail(QStringLiteral("retention/days is 0 (keep everything): give --before or --older-than"), 2);
        }
        options.beforeMs = QDateTime::currentMSecsSinceEpoch() - qint64(days) * kDayMs;
    }
    bool batchOk = false;
    options.batchSize = parser.value(QStringLiteral("batch")).toInt(&batchOk);
    if (!batchOk || options.batchSize < 1)
        return fail(QStringLiteral("--batch wants a positive number"), 2);
    options.vacuum = parser.isSet(QStringLiteral("vacuum"));

    auto pruned = Store::pruneBefore(context.db, options);
    if (!pruned)
        return fail(pruned.error().message);
    const Store::PruneReport &r = pruned.value();
    out() << QStringLiteral("pruned what ended before %1: %2 event(s), %3 parsed page(s), %4 buffered row(s), %5 "
                            "job(s), %6 stored file(s), %7 fleet event(s), %8 worker(s)%9")
                 .arg(QDateTime::fromMSecsSinceEpoch(options.beforeMs).toString(Qt::ISODate))
                 .arg(r.events)
                 .arg(r.pages)
                 .arg(r.bufferedRows)
                 .arg(r.jobs)
                 .arg(r.documents)
                 .arg(r.fleetEvents)
                 .arg(r.workers)
                 .arg(r.vacuumed ? QStringLiteral("; vacuumed") : QString())
          << Qt::endl;
    return 0;
}

} // namespace Docpipe::Cli
