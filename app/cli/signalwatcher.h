// Turns SIGINT and SIGTERM into a Qt signal on the main thread (self-pipe trick), so the CLI
// can stop its engine cleanly instead of dying with leases held.
#pragma once

#include <QObject>

class QSocketNotifier;

namespace Docpipe::Cli {

class SignalWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalWatcher)

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace Docpipe::Cli
