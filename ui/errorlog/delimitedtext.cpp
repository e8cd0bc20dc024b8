#include "delimitedtext.h"

namespace Docpipe::Ui {

QString delimitedField(const QString &field, QChar separator)
{
    const bool quote
        = field.contains(separator) || field.contains(u'"') || field.contains(u'\n') || field.contains(u'\r');
    if (!quote)
        return field;
    QString escaped = field;
    escaped.replace(u'"', QStringLiteral("\"\""));
    return u'"' + escaped + u'"';
}

QString delimitedText(const QList<QStringList> &rows, QChar separator)
{
    QString text;
    for (const QStringList &row : rows) {
        for (qsizetype i = 0; i < row.size(); ++i) {
            if (i > 0)
                text += separator;
            text += delimitedField(row.at(i), separator);
        }
        text += QStringLiteral("\r\n");
    }
    return text;
}

} // namespace Docpipe::Ui
