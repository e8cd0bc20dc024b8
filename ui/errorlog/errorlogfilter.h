// Narrows the error log to one stage, one code and a search text, and sorts it.
#pragma once

#include <QSortFilterProxyModel>

namespace Docpipe::Ui {

class ErrorLogFilter final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ErrorLogFilter)

public:
    explicit ErrorLogFilter(QObject *parent = nullptr);

    // Empty: any. Stage by its name ("parsing"), code exactly ("corrupt_docx").
    void setStage(const QString &stage);
    void setCode(const QString &code);
    // Case-insensitive, in the document, message, code and job number.
    void setSearchText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_stage;
    QString m_code;
    QString m_search;
};

} // namespace Docpipe::Ui
