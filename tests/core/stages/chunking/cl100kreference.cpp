#include "cl100kreference.h"

#include <QFile>
#include <QStringView>

namespace Docpipe::Test {
namespace {

QString unescape(QStringView s)
{
    QString out;
    out.reserve(s.size());
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s[i] != u'\\' || i + 1 == s.size()) {
            out += s[i];
            continue;
        }
        const QChar e = s[++i];
        out += e == u'n' ? QChar(u'\n') : e == u't' ? QChar(u'\t') : e == u'r' ? QChar(u'\r') : e;
    }
    return out;
}

} // namespace

QList<Cl100kReferenceRow> readCl100kReference()
{
    const QString override = qEnvironmentVariable("DOCPIPE_CL100K_REFERENCE");
    QFile file(override.isEmpty() ? QStringLiteral(DOCPIPE_CL100K_REFERENCE) : override);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<Cl100kReferenceRow> rows;
    const QString all = QString::fromUtf8(file.readAll());
    for (QStringView line : QStringView(all).split(u'\n', Qt::SkipEmptyParts)) {
        if (line.startsWith(u'#'))
            continue;
        const auto fields = line.split(u'\t');
        if (fields.size() == 3)
            rows.append({fields[0].toString(), fields[1].toInt(), unescape(fields[2])});
    }
    return rows;
}

} // namespace Docpipe::Test
