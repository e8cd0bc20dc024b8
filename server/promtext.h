// Writes Prometheus text exposition (format 0.0.4): each family's HELP and TYPE once, then its
// samples; label values escaped as the format asks (backslash, double quote, newline).
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace Docpipe::Server {

using Labels = QList<QPair<QString, QString>>;

class PromText final
{
public:
    // type: counter | gauge | histogram. Families must not repeat.
    void family(const char *name, const char *type, const char *help);
    // `name` may carry a histogram suffix (_bucket, _sum, _count) of the current family.
    void sample(const QByteArray &name, const Labels &labels, double value);
    void sample(const QByteArray &name, double value) { sample(name, {}, value); }

    const QByteArray &text() const { return m_text; }

    static QByteArray formatValue(double value);

private:
    QByteArray m_text;
};

} // namespace Docpipe::Server
