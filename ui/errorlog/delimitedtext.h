// Rows as delimited text (RFC 4180): comma-separated for CSV files, tab-separated for the clipboard.
#pragma once

#include <QChar>
#include <QList>
#include <QString>
#include <QStringList>

namespace Docpipe::Ui {

// A field is quoted when it holds the separator, a quote, CR or LF; quotes inside are doubled.
QString delimitedField(const QString &field, QChar separator = u',');
// Lines end in CRLF, as RFC 4180 and spreadsheets expect.
QString delimitedText(const QList<QStringList> &rows, QChar separator = u',');

} // namespace Docpipe::Ui
