#include "databasepage.h"

#include "services/servicecheck.h"
#include "servicestatus.h"

#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QToolButton>

namespace Docpipe::Ui {

namespace {
bool isPostgresUrl(const QString &url)
{
    return url.startsWith(QLatin1String("postgresql://")) || url.startsWith(QLatin1String("postgres://"));
}
} // namespace

DatabasePage::DatabasePage(QWidget *parent)
    : SettingsPage(parent)
    , m_sqlite(new QRadioButton(tr("SQLite file on this computer"), this))
    , m_postgres(new QRadioButton(tr("PostgreSQL server (shared by several workers)"), this))
    , m_path(new QLineEdit(this))
    , m_url(new QLineEdit(this))
    , m_test(new QPushButton(tr("Test connection"), this))
    , m_result(new QLabel(this))
{
    auto *form = new QFormLayout(this);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(m_sqlite);

    m_path->setPlaceholderText(Config::defaultDatabasePath());
    m_path->setClearButtonEnabled(true);
    auto *browse = new QToolButton(this);
    browse->setText(tr("Browse…"));
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Database file"), m_path->text(),
                                                          tr("SQLite databases (*.sqlite *.db);;All files (*)"),
                                                          nullptr, QFileDialog::DontConfirmOverwrite);
        if (!path.isEmpty())
            m_path->setText(path);
    });
    auto *pathRow = new QWidget(this);
    auto *pathLayout = new QHBoxLayout(pathRow);
    pathLayout->setContentsMargins(0, 0, 0, 0);
    pathLayout->addWidget(m_path, 1);
    pathLayout->addWidget(browse);
    addField(form, tr("File:"), pathRow, QStringLiteral("database/sqlite_path"));
    m_path->setObjectName(QStringLiteral("database/sqlite_path"));

    form->addRow(m_postgres);
    m_url->setPlaceholderText(QStringLiteral("postgresql://user:password@host:5432/docpipe"));
    addField(form, tr("URL:"), m_url, QStringLiteral("database/url"));

    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addWidget(m_result, 1);
    form->addRow(testRow);

    watch({m_sqlite, m_postgres, m_path, m_url});
    connect(m_sqlite, &QRadioButton::toggled, this, &DatabasePage::updateEnabled);
    connect(m_test, &QPushButton::clicked, this, &DatabasePage::testConnection);
    connect(this, &SettingsPage::changed, m_result, &QLabel::clear); // the result was for other values
}

void DatabasePage::load(const Config &config)
{
    const bool postgres = isPostgresUrl(config.databaseUrl);
    (postgres ? m_postgres : m_sqlite)->setChecked(true);
    m_url->setText(postgres ? config.databaseUrl : QString());
    m_path->setText(postgres ? QString() : config.databaseUrl);
    updateEnabled();
}

void DatabasePage::apply(Config &config) const
{
    config.databaseUrl = formUrl();
}

QString DatabasePage::formUrl() const
{
    return m_postgres->isChecked() ? m_url->text().trimmed() : m_path->text().trimmed();
}

QList<ConfigProblem> DatabasePage::formProblems() const
{
    QList<ConfigProblem> problems = SettingsPage::formProblems();
    const QString url = formUrl();
    if (m_postgres->isChecked() && !isPostgresUrl(url))
        problems.append(
            {QStringLiteral("database/url"),
             tr("A PostgreSQL URL starts with postgresql://, e.g. postgresql://user:password@host:5432/docpipe.")});
    if (m_sqlite->isChecked() && isPostgresUrl(url))
        problems.append({QStringLiteral("database/sqlite_path"),
                         tr("This is a PostgreSQL URL: choose \"PostgreSQL server\" above.")});
    return problems;
}

QString DatabasePage::fieldFor(const QString &key) const
{
    // Config names the database by one key, whichever kind it is.
    if (key == QLatin1String("database/url") && m_sqlite->isChecked())
        return QStringLiteral("database/sqlite_path");
    return key;
}

void DatabasePage::updateEnabled()
{
    m_path->parentWidget()->setEnabled(m_sqlite->isChecked());
    m_url->setEnabled(m_postgres->isChecked());
}

void DatabasePage::testConnection()
{
    Config config;
    apply(config);
    runServiceCheck(m_test, m_result,
                    [url = config.effectiveDatabaseUrl()] { return Services::checkDatabaseService(url); });
}

QString DatabasePage::testResult() const
{
    return m_result->text();
}

} // namespace Docpipe::Ui
