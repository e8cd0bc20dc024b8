// A real `docpipe-cli mock-server` process for end-to-end tests; its URL is read from the first
// line it prints. The keys it accepts are given; SIGTERM ends it.
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>
#include <QUrl>

#include <memory>

namespace Docpipe::Test {

class MockProcess final
{
public:
    explicit MockProcess(QStringList apiKeys);
    ~MockProcess();
    Q_DISABLE_COPY_MOVE(MockProcess)

    bool start(const QStringList &options = {}, quint16 port = 0);
    void stop();

    QUrl url() const { return m_url; }
    QJsonObject stats() const;
    void setFaults(const QJsonArray &faults) const;

private:
    QStringList m_apiKeys;
    std::unique_ptr<QProcess> m_process;
    QUrl m_url;
};

} // namespace Docpipe::Test
