// A classified failure of one job's stage: what went wrong, for people and for the retry policy.
#pragma once

#include <QString>

namespace Docpipe {

struct StageError
{
    enum class Kind { Transient, Permanent };

    QString code; // stable, machine-readable: "encrypted_pdf", "http_429", ...
    QString message; // one sentence a person understands; never contains a secret
    Kind kind = Kind::Permanent;
    qint64 retryAfterMs = -1; // server's hint for transient errors, -1 if none

    bool isTransient() const { return kind == Kind::Transient; }

    static StageError permanent(const QString &code, const QString &message)
    {
        return {code, message, Kind::Permanent, -1};
    }
    static StageError transient(const QString &code, const QString &message, qint64 retryAfterMs = -1)
    {
        return {code, message, Kind::Transient, retryAfterMs};
    }
};

} // namespace Docpipe
