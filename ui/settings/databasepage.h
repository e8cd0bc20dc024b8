// Settings page: where the database is (a SQLite file here, or a PostgreSQL server), with a
// "Test connection" that really connects, off the GUI thread.
#pragma once

#include "settingspage.h"

QT_BEGIN_NAMESPACE
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
QT_END_NAMESPACE

namespace Docpipe::Ui {

class DatabasePage final : public SettingsPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DatabasePage)

public:
    explicit DatabasePage(QWidget *parent = nullptr);

    void load(const Config &config) override;
    void apply(Config &config) const override;
    QList<ConfigProblem> formProblems() const override;

    // Connects to the database the form names and shows the outcome beside the button.
    void testConnection();
    QString testResult() const;

protected:
    QString fieldFor(const QString &key) const override;

private:
    void updateEnabled();
    QString formUrl() const;

    QRadioButton *m_sqlite;
    QRadioButton *m_postgres;
    QLineEdit *m_path;
    QLineEdit *m_url;
    QPushButton *m_test;
    QLabel *m_result;
};

} // namespace Docpipe::Ui
