// The permanent part of the status bar: database connected, each service reachable, engine
// running / paused, workers seen. Each is a dot and a word, with the detail in its tooltip.
#pragma once

#include "alerts/alertrules.h"
#include "services/servicecheck.h"
#include "store/workerregistry.h"

#include <QWidget>

class QLabel;

namespace Docpipe::Ui {

enum class EngineState { Starting, Running, Paused, Stopped, Failed };

class StatusIndicators final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatusIndicators)

public:
    explicit StatusIndicators(QWidget *parent = nullptr);

    void setDatabase(bool connected, const QString &where, const QString &reason);
    void setServiceChecking(const QString &service);
    void setServiceCheck(const Services::ServiceCheck &check);
    void setEngineState(EngineState state, const QString &detail = {});
    void setWorkers(const QList<Store::WorkerRecord> &workers);
    // From each alert check: jobs waiting (no live worker while some wait is red).
    void setWaitingJobs(int waiting);
    // Free space where the database and the uploads live: amber below twice the alert limit
    // (alerts/min_free_disk_mb), red below it. The tightest file system is shown.
    void setDisks(const QList<Alerts::DiskReading> &disks, qint64 minFreeMb);

    // For tests and screenshots: what each indicator says.
    QString databaseText() const;
    QString serviceText(const QString &service) const;
    QString engineText() const;
    QString workersText() const;
    QString diskText() const;
    // The colour state of an indicator ("good", "busy" (amber), "bad" (red), "neutral").
    QString healthOf(const QString &indicatorName) const;

private:
    enum class Health { Good, Busy, Bad, Neutral };
    static void setIndicator(QLabel *label, Health health, const QString &text, const QString &toolTip);

    QLabel *m_database;
    QLabel *m_parser;
    QLabel *m_embedder;
    QLabel *m_engine;
    QLabel *m_workers;
    QLabel *m_disk;
    int m_alive = 0;
    int m_waiting = 0;
    QString m_workersToolTip;
    void showWorkers();
};

} // namespace Docpipe::Ui
