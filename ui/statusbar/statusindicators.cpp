#include "statusindicators.h"

#include "jobformat.h"

#include <QHBoxLayout>
#include <QLabel>

namespace Docpipe::Ui {

namespace {

constexpr auto kTextProperty = "plainText";

QString dotColor(int health)
{
    static const char *const colors[] = {"#2b8a4e", "#c97410", "#c63b3b", "#808690"};
    return QString::fromLatin1(colors[health]);
}

QString plainText(const QLabel *label)
{
    return label->property(kTextProperty).toString();
}

} // namespace

StatusIndicators::StatusIndicators(QWidget *parent)
    : QWidget(parent)
    , m_database(new QLabel(this))
    , m_parser(new QLabel(this))
    , m_embedder(new QLabel(this))
    , m_engine(new QLabel(this))
    , m_workers(new QLabel(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(14);
    for (QLabel *label : {m_database, m_parser, m_embedder, m_engine, m_workers}) {
        label->setTextFormat(Qt::RichText);
        layout->addWidget(label);
    }
    m_database->setObjectName(QStringLiteral("databaseIndicator"));
    m_parser->setObjectName(QStringLiteral("parserIndicator"));
    m_embedder->setObjectName(QStringLiteral("embedderIndicator"));
    m_engine->setObjectName(QStringLiteral("engineIndicator"));
    m_workers->setObjectName(QStringLiteral("workersIndicator"));
    setIndicator(m_database, Health::Busy, tr("Database: connecting…"), {});
    setServiceChecking(QStringLiteral("parser"));
    setServiceChecking(QStringLiteral("embedder"));
    setEngineState(EngineState::Starting);
    setWorkers({});
}

void StatusIndicators::setIndicator(QLabel *label, Health health, const QString &text, const QString &toolTip)
{
    label->setProperty(kTextProperty, text);
    label->setText(
        QStringLiteral("<span style=\"color:%1\">●</span>&nbsp;%2").arg(dotColor(int(health)), text.toHtmlEscaped()));
    label->setToolTip(toolTip);
}

void StatusIndicators::setDatabase(bool connected, const QString &where, const QString &reason)
{
    if (connected)
        setIndicator(m_database, Health::Good, tr("Database: connected"), where);
    else
        setIndicator(m_database, Health::Bad, tr("Database: unreachable"), where + QStringLiteral("\n") + reason);
}

void StatusIndicators::setServiceChecking(const QString &service)
{
    const bool parser = service == QLatin1String("parser");
    setIndicator(parser ? m_parser : m_embedder, Health::Neutral,
                 parser ? tr("Parser: checking…") : tr("Embedder: checking…"), {});
}

void StatusIndicators::setServiceCheck(const Services::ServiceCheck &check)
{
    const bool parser = check.service == QLatin1String("parser");
    const QString state = check.ok ? tr("reachable") : tr("unreachable");
    const QString text = parser ? tr("Parser: %1").arg(state) : tr("Embedder: %1").arg(state);
    QString toolTip = check.kind + QStringLiteral(": ") + check.message;
    if (check.latencyMs >= 0)
        toolTip += QStringLiteral(" (%1)").arg(formatDuration(check.latencyMs));
    setIndicator(parser ? m_parser : m_embedder, check.ok ? Health::Good : Health::Bad, text, toolTip);
}

void StatusIndicators::setEngineState(EngineState state, const QString &detail)
{
    switch (state) {
    case EngineState::Starting:
        setIndicator(m_engine, Health::Neutral, tr("Engine: starting…"), detail);
        break;
    case EngineState::Running:
        setIndicator(m_engine, Health::Good, tr("Engine: running"), detail);
        break;
    case EngineState::Paused:
        setIndicator(m_engine, Health::Busy, tr("Engine: paused"), tr("No worker claims new work until resumed."));
        break;
    case EngineState::Stopped:
        setIndicator(m_engine, Health::Neutral, tr("Engine: stopped"), detail);
        break;
    case EngineState::Failed:
        setIndicator(m_engine, Health::Bad, tr("Engine: failed to start"), detail);
        break;
    }
}

void StatusIndicators::setWorkers(const QList<Store::WorkerRecord> &workers)
{
    QStringList lines;
    int alive = 0;
    for (const Store::WorkerRecord &worker : workers) {
        if (worker.state == QLatin1String("stopped"))
            continue;
        ++alive;
        lines << tr("%1 on %2 (pid %3), %4, last heartbeat %5")
                     .arg(worker.id, worker.host)
                     .arg(worker.pid)
                     .arg(worker.state, formatTimestamp(worker.heartbeatAt));
    }
    setIndicator(m_workers, alive > 0 ? Health::Good : Health::Neutral, tr("%n worker(s)", nullptr, alive),
                 lines.join(u'\n'));
}

QString StatusIndicators::databaseText() const
{
    return plainText(m_database);
}

QString StatusIndicators::serviceText(const QString &service) const
{
    return plainText(service == QLatin1String("parser") ? m_parser : m_embedder);
}

QString StatusIndicators::engineText() const
{
    return plainText(m_engine);
}

QString StatusIndicators::workersText() const
{
    return plainText(m_workers);
}

} // namespace Docpipe::Ui
