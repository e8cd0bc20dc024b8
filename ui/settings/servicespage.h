// Settings page: the parser (local or LlamaParse, with its API, tier and version) and the embedder (local or any
// OpenAI-compatible API), each with a "Test" button that makes one real call off the GUI thread.
#pragma once

#include "settingspage.h"

QT_BEGIN_NAMESPACE
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
QT_END_NAMESPACE

namespace Docpipe::Ui {

class ApiKeyField;
class SecretStore;

class ServicesPage final : public SettingsPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServicesPage)

public:
    explicit ServicesPage(QWidget *parent = nullptr);

    void load(const Config &config) override;
    void apply(Config &config) const override;
    void readKeySources(SecretStore *secrets);
    // The keys the person changed, to store in the keychain: {SecretStore name, value}.
    QList<std::pair<QString, QString>> editedKeys() const;

    void testParser();
    void testEmbedder();
    QString parserTestResult() const;
    QString embedderTestResult() const;

private:
    // What the parser and the embedder groups both have: a local or remote kind, the remote
    // service's base URL and key, and a test button.
    struct ServiceGroup
    {
        QGroupBox *box = nullptr;
        QFormLayout *form = nullptr;
        QComboBox *kind = nullptr;
        QString remoteKind;
        QLineEdit *url = nullptr;
        ApiKeyField *key = nullptr;
        QPushButton *test = nullptr;
        QLabel *result = nullptr;
        QList<QWidget *> remoteFields; // enabled only for the remote kind
    };
    struct ServiceText
    {
        QString title, kindLabel, localChoice, remoteChoice, testLabel;
        QString remoteKind, section; // "llamaparse", "parser"
        QString urlKey, keyKey; // INI keys of the URL and the API key
        const char *secretName;
    };
    ServiceGroup makeServiceGroup(const ServiceText &text);
    void finishServiceGroup(ServiceGroup &group, void (ServicesPage::*test)());
    void addParserOptions();
    void addEmbedderLimits();
    void updateEnabled();
    Config formConfig() const;

    Config m_loaded; // what the page does not show passes through unchanged
    ServiceGroup m_parser;
    ServiceGroup m_embedder;
    QComboBox *m_llamaApi = nullptr;
    QComboBox *m_llamaTier = nullptr;
    QLineEdit *m_llamaVersion = nullptr;
    QLineEdit *m_model = nullptr;
    QSpinBox *m_dimensions = nullptr;
    QSpinBox *m_batchSize = nullptr;
    QSpinBox *m_requestsPerMinute = nullptr;
    QSpinBox *m_tokensPerMinute = nullptr;
};

} // namespace Docpipe::Ui
