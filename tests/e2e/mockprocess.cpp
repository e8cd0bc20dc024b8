#include "mockprocess.h"

#include "../core/services/servicetesthelpers.h"
#include "clirunner.h"

#include <QTest>

#include <csignal>

namespace Docpipe::Test {

MockProcess::MockProcess(QStringList apiKeys)
    : m_apiKeys(std::move(apiKeys))
{ }

MockProcess::~MockProcess()
{
    stop();
}

bool MockProcess::start(const QStringList &options, quint16 port)
{
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    QStringList arguments{QStringLiteral("mock-server"), QStringLiteral("--port"), QString::number(port)};
    for (const QString &key : std::as_const(m_apiKeys))
        arguments << QStringLiteral("--api-key") << key;
    m_process->start(cliPath(), arguments + options);
    if (!m_process->waitForStarted() || !QTest::qWaitFor([this] { return m_process->canReadLine(); }, 10000))
        return false;
    const QString line = QString::fromUtf8(m_process->readLine()).trimmed();
    m_url = QUrl(line.mid(int(qstrlen("listening on "))));
    return line.startsWith(QLatin1String("listening on http://127.0.0.1:")) && m_url.port() > 0;
}

void MockProcess::stop()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    ::kill(pid_t(m_process->processId()), SIGTERM);
    m_process->waitForFinished(10000);
}

QJsonObject MockProcess::stats() const
{
    return jsonOf(get(m_url, QStringLiteral("/_mock/stats")));
}

void MockProcess::setFaults(const QJsonArray &faults) const
{
    postJson(m_url, QStringLiteral("/_mock/faults"),
             QJsonDocument(QJsonObject{{QStringLiteral("faults"), faults}}).toJson());
}

} // namespace Docpipe::Test
