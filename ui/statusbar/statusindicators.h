// The permanent part of the status bar: database connected, each service reachable, engine
// running / paused, workers seen, free disk, this process's CPU and memory, the memory budget's
// use, the database's size.
// Each is a dot and a word, with the detail in its tooltip.
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
    // This process: CPU as a share of the machine's cores (amber from 90%: saturated) and resident
    // memory (amber from 75% of alerts/max_memory_mb, red above it). Negative: unknown.
    void setProcess(double cpuShare, qint64 residentBytes, qint64 maxMemoryMb);
    // The engine's memory budget (engine/memory_budget_mb): the estimated memory of the stage work
    // admitted now, amber while claimed jobs wait for memory. Hidden without a budget (no engine).
    void setMemoryBudget(qint64 admittedBytes, qint64 budgetBytes, int waiting);
    // The database's size beside the free space of its disk (-1: not on this host): amber when
    // it is over half of what is free, red over all of it (a VACUUM or a migration could not finish).
    void setDatabaseSize(qint64 bytes, qint64 freeBytes);

    // For tests and screenshots: what each indicator says.
    QString databaseText() const;
    QString serviceText(const QString &service) const;
    QString engineText() const;
    QString workersText() const;
    QString diskText() const;
    QString processText() const;
    QString memoryBudgetText() const;
    QString databaseSizeText() const;
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
    QLabel *m_process;
    QLabel *m_memoryBudget;
    QLabel *m_databaseSize;
    int m_alive = 0;
    int m_waiting = 0;
    QString m_workersToolTip;
    void showWorkers();
};

} // namespace Docpipe::Ui
