#include "ingestnotice.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Docpipe::Ui {

IngestNotice::IngestNotice(QWidget *parent)
    : QDialog(parent)
    , m_summary(new QLabel(this))
    , m_list(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("ingestNotice"));
    setWindowTitle(tr("Files not added"));
    setModal(false);
    setAttribute(Qt::WA_ShowWithoutActivating);
    m_summary->setWordWrap(true);
    m_list->setReadOnly(true);
    m_list->setLineWrapMode(QPlainTextEdit::NoWrap);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(this, &QDialog::finished, this, [this] {
        m_lines.clear();
        m_list->clear();
    });
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_list, 1);
    layout->addWidget(buttons);
    resize(640, 320);
}

void IngestNotice::addLines(const QStringList &lines)
{
    if (lines.isEmpty())
        return;
    m_lines += lines;
    for (const QString &line : lines)
        m_list->appendPlainText(line);
    m_summary->setText(tr("%n file(s) or folder(s) were not added as jobs:", nullptr, int(m_lines.size())));
    if (!isVisible())
        show();
}

} // namespace Docpipe::Ui
