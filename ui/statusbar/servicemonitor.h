// Asks the configured parser and embedding services whether they answer (one real call each,
// through core/services/servicecheck.h), off the GUI thread, at start and whenever asked.
#pragma once

#include "config/config.h"
#include "services/servicecheck.h"

#include <QObject>
#include <QThreadPool>

#include <functional>

namespace Docpipe::Ui {

class ServiceMonitor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServiceMonitor)

public:
    explicit ServiceMonitor(QObject *parent = nullptr);
    ~ServiceMonitor() override;

    // Both checks run at once; each reports when it answers. A check still running is not repeated.
    void check(const Config &config);

Q_SIGNALS:
    void checking(const QString &service);
    void checked(const Docpipe::Services::ServiceCheck &result);

private:
    void run(const QString &service, bool &busy, std::function<Services::ServiceCheck()> call);

    QThreadPool m_pool;
    bool m_parserBusy = false;
    bool m_embedderBusy = false;
};

} // namespace Docpipe::Ui
