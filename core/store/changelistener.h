// Listens for change notices (see changenotice.h) on a dedicated PostgreSQL connection, on a
// thread of its own so that connecting never blocks the owner's thread. The connection is checked
// at every `checkMs`, and at once on checkNow() (the owner saw the database go away); when it
// dropped, the listener says so with listeningChanged(false) (the owner polls meanwhile),
// reconnects with a short backoff (200 ms doubling to 2 s) and says listeningChanged(true): the
// owner then looks for work once, since notices sent while nobody listened are lost. On SQLite
// there is nothing to listen to: isSupported() is false.
#pragma once

#include "database.h"

#include <QObject>
#include <QString>
#include <QThread>

namespace Docpipe::Store {

class ListenerSide;

class ChangeListener final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChangeListener)

public:
    ChangeListener(const Database &db, int checkMs, QObject *parent = nullptr);
    ~ChangeListener() override;

    static bool isSupported(const Database &db) { return db.dialect() == Dialect::Postgres; }
    void start();
    // Checks the connection now instead of at the next `checkMs` (thread-safe, returns at once).
    void checkNow();
    bool isListening() const { return m_listening; }

Q_SIGNALS:
    void changed(const QString &payload);
    void listeningChanged(bool listening);

private:
    QThread m_thread;
    ListenerSide *m_side = nullptr;
    bool m_listening = false;
};

} // namespace Docpipe::Store
