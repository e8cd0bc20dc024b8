#include "settingsdialog.h"

#include "databasepage.h"
#include "interfacepage.h"
#include "processingpage.h"
#include "secretstore.h"
#include "servicespage.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <memory>

namespace Docpipe::Ui {

SettingsDialog::SettingsDialog(const Config &config, SecretStore *secrets, QWidget *parent)
    : QDialog(parent)
    , m_saved(config)
    , m_configPath(Config::defaultConfigPath())
    , m_secrets(secrets)
    , m_tabs(new QTabWidget(this))
    , m_database(new DatabasePage(this))
    , m_services(new ServicesPage(this))
    , m_processing(new ProcessingPage(this))
    , m_interface(new InterfacePage(this))
    , m_summary(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Docpipe Settings"));
    setObjectName(QStringLiteral("settingsDialog"));
    m_pages = {m_database, m_services, m_processing, m_interface};
    m_tabs->addTab(m_database, tr("Database"));
    m_tabs->addTab(m_services, tr("Services"));
    m_tabs->addTab(m_processing, tr("Processing"));
    m_tabs->addTab(m_interface, tr("Interface"));

    m_summary->setWordWrap(true);
    m_summary->setStyleSheet(QStringLiteral("color: #b91c1c;"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_summary);
    layout->addWidget(m_buttons);

    for (SettingsPage *page : std::as_const(m_pages)) {
        page->load(config);
        connect(page, &SettingsPage::changed, this, &SettingsDialog::revalidate);
    }
    m_services->readKeySources(m_secrets);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    revalidate();
    resize(sizeHint().expandedTo(QSize(620, 560)));
}

QString SettingsDialog::language() const
{
    return m_interface->language();
}

void SettingsDialog::setLanguage(const QString &code)
{
    m_interface->setLanguage(code);
}

Config SettingsDialog::formConfig() const
{
    Config config = m_saved;
    for (const SettingsPage *page : m_pages)
        page->apply(config);
    return config;
}

QList<ConfigProblem> SettingsDialog::problems() const
{
    QList<ConfigProblem> problems;
    for (const SettingsPage *page : m_pages)
        problems += page->formProblems();
    // Config's checks only make sense of what the form could read: a field whose text is not a
    // number keeps its old value, and has its own problem above.
    for (const ConfigProblem &problem : formConfig().problems()) {
        const bool known = std::any_of(problems.cbegin(), problems.cend(),
                                       [&](const ConfigProblem &p) { return p.key == problem.key; });
        if (!known)
            problems.append(problem);
    }
    return problems;
}

QString SettingsDialog::problemMessage(const QString &key) const
{
    for (const SettingsPage *page : m_pages) {
        if (page->hasField(key))
            return page->problemMessage(key);
    }
    return {};
}

bool SettingsDialog::canSave() const
{
    return m_buttons->button(QDialogButtonBox::Save)->isEnabled();
}

void SettingsDialog::revalidate()
{
    const QList<ConfigProblem> found = problems();
    for (int i = 0; i < m_pages.size(); ++i) {
        const int onPage = m_pages.at(i)->showProblems(found);
        m_tabs->setTabIcon(i, onPage > 0 ? style()->standardIcon(QStyle::SP_MessageBoxWarning) : QIcon());
    }
    // A problem without a field of its own is still shown, below the pages.
    QStringList elsewhere;
    for (const ConfigProblem &problem : found) {
        if (!std::any_of(m_pages.cbegin(), m_pages.cend(),
                         [&](const SettingsPage *page) { return page->hasField(problem.key); }))
            elsewhere << problem.message;
    }
    QString summary
        = found.isEmpty() ? QString() : tr("Fix the settings marked in red to save (%L1 left).").arg(found.size());
    if (!elsewhere.isEmpty())
        summary += u'\n' + elsewhere.join(u'\n');
    m_summary->setText(summary);
    m_summary->setVisible(!summary.isEmpty());
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(found.isEmpty());
}

bool SettingsDialog::save()
{
    revalidate();
    if (!problems().isEmpty())
        return false;
    const Config config = formConfig();
    config.save(m_configPath); // writes everything but the API keys
    m_saved = config;
    const QList<std::pair<QString, QString>> keys = m_services->editedKeys();
    for (SettingsPage *page : std::as_const(m_pages))
        page->load(config); // what is shown is now what is saved (keys no longer count as edited)
    Q_EMIT configSaved(config);
    Q_EMIT languageChosen(language());
    storeKeys(keys);
    return true;
}

void SettingsDialog::storeKeys(const QList<std::pair<QString, QString>> &keys)
{
    if (keys.isEmpty() || !m_secrets) {
        Q_EMIT keysStored(keys.isEmpty());
        accept();
        return;
    }
    // Every write answers once; the dialog closes when all have, unless one failed.
    auto pending = std::make_shared<int>(int(keys.size()));
    auto failures = std::make_shared<QStringList>();
    m_buttons->setEnabled(false);
    for (const auto &[name, value] : keys) {
        m_secrets->write(name, value).then(this, [this, pending, failures](const SecretStore::WriteResult &result) {
            if (!result.ok)
                failures->append(tr("The system keychain did not store the key (%1). Docpipe uses it until it closes; "
                                    "set %2 to keep it.")
                                     .arg(result.error, SecretStore::environmentVariable(result.name)));
            if (--*pending > 0)
                return;
            m_buttons->setEnabled(true);
            Q_EMIT keysStored(failures->isEmpty());
            if (failures->isEmpty()) {
                accept();
                return;
            }
            m_summary->setText(failures->join(u'\n'));
            m_summary->setVisible(true);
        });
    }
}

} // namespace Docpipe::Ui
