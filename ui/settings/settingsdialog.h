// The settings dialog: database, parser and embedder services, chunking, concurrency, retry
// policy and language. Every problem is shown beside its field with the reason, and Save stays
// disabled while there is one: nothing invalid is ever written. Saving writes the INI file
// (Config::save) and puts API keys in the system keychain (SecretStore), never in the INI.
#pragma once

#include "config/config.h"

#include <QDialog>
#include <QList>

QT_BEGIN_NAMESPACE
class QDialogButtonBox;
class QLabel;
class QTabWidget;
QT_END_NAMESPACE

namespace Docpipe::Ui {

class DatabasePage;
class InterfacePage;
class ProcessingPage;
class SecretStore;
class ServicesPage;
class SettingsPage;

class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    // `secrets` may be null (keys then live in memory and the environment only).
    SettingsDialog(const Config &config, SecretStore *secrets, QWidget *parent = nullptr);

    // What was saved (keys included, in memory only); the given configuration until then.
    Config config() const { return m_saved; }
    // The INI file Save writes: Config::defaultConfigPath() unless set.
    void setConfigPath(const QString &iniPath) { m_configPath = iniPath; }
    QString configPath() const { return m_configPath; }
    // "" follows the system; "en", "de".
    QString language() const;
    void setLanguage(const QString &code);

    // The configuration the form describes, and what is wrong with it (Config's own checks and
    // the form's), keyed by INI key.
    Config formConfig() const;
    QList<ConfigProblem> problems() const;
    // The reason shown beside the field for `key`; empty when it is fine.
    QString problemMessage(const QString &key) const;
    bool canSave() const;

    // Validates and, only if nothing is wrong, writes the INI file, emits configSaved and
    // languageChosen and stores edited keys in the keychain; the dialog closes once they are
    // stored. Returns false, writing nothing, while anything is invalid.
    bool save();

    DatabasePage *databasePage() const { return m_database; }
    ServicesPage *servicesPage() const { return m_services; }
    ProcessingPage *processingPage() const { return m_processing; }

Q_SIGNALS:
    void configSaved(const Docpipe::Config &config); // only ever a valid configuration
    void languageChosen(const QString &code);
    // After a save: whether every edited key reached the keychain.
    void keysStored(bool ok);

private:
    void revalidate();
    void storeKeys(const QList<std::pair<QString, QString>> &keys);

    Config m_saved;
    QString m_configPath;
    SecretStore *m_secrets;
    QTabWidget *m_tabs;
    DatabasePage *m_database;
    ServicesPage *m_services;
    ProcessingPage *m_processing;
    InterfacePage *m_interface;
    QList<SettingsPage *> m_pages;
    QLabel *m_summary;
    QDialogButtonBox *m_buttons;
};

} // namespace Docpipe::Ui
