// PDF painting for the document generator (QPdfWriter + QPainter).
#pragma once

#include <QString>
#include <QStringList>

namespace Docpipe::Test {

// Each page gets its title line and paragraphs; false if the file cannot be written.
bool paintTextPdf(const QString &path, const QList<QStringList> &pages);
// Pages that carry only a picture of text: no text layer.
bool paintImagePdf(const QString &path, int pages);

} // namespace Docpipe::Test
