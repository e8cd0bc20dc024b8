// The one non-modal notice that lists what a drop skipped (unsupported, hidden, unreadable files)
// and what could not be recorded. Later drops add to it while it is open.
#pragma once

#include <QDialog>
#include <QStringList>

class QLabel;
class QPlainTextEdit;

namespace Docpipe::Ui {

class IngestNotice final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IngestNotice)

public:
    explicit IngestNotice(QWidget *parent = nullptr);

    // Appends the lines and shows the notice without taking focus from the window.
    void addLines(const QStringList &lines);
    QStringList lines() const { return m_lines; }

private:
    QLabel *m_summary;
    QPlainTextEdit *m_list;
    QStringList m_lines;
};

} // namespace Docpipe::Ui
