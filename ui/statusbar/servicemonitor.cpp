#include "servicemonitor.h"

#include <QtConcurrent/QtConcurrentRun>

namespace Docpipe::Ui {

ServiceMonitor::ServiceMonitor(QObject *parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(2);
}

ServiceMonitor::~ServiceMonitor()
{
    m_pool.waitForDone();
}

void ServiceMonitor::check(const Config &config)
{
    run(QStringLiteral("parser"), m_parserBusy,
        [parser = config.parser] { return Services::checkParserService(parser); });
    run(QStringLiteral("embedder"), m_embedderBusy,
        [embedder = config.embedder] { return Services::checkEmbedderService(embedder); });
}

void ServiceMonitor::run(const QString &service, bool &busy, std::function<Services::ServiceCheck()> call)
{
    if (busy)
        return;
    busy = true;
    Q_EMIT checking(service);
    QtConcurrent::run(&m_pool, std::move(call)).then(this, [this, &busy](const Services::ServiceCheck &result) {
        busy = false;
        Q_EMIT checked(result);
    });
}

} // namespace Docpipe::Ui
