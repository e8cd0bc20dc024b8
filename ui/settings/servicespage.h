// Settings page: the parser (local or LlamaParse) and the embedder (local or any
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
    QGroupBox *makeParserGroup();
    QGroupBox *makeEmbedderGroup();
    void updateEnabled();
    Config formConfig() const;

    Config m_loaded;   // what the page does not show passes through unchanged
    QComboBox *m_parserKind = nullptr;
    QLineEdit *m_parserUrl = nullptr;
    ApiKeyField *m_parserKey = nullptr;
    QPushButton *m_parserTest = nullptr;
    QLabel *m_parserResult = nullptr;
    QComboBox *m_embedderKind = nullptr;
    QLineEdit *m_embedderUrl = nullptr;
    ApiKeyField *m_embedderKey = nullptr;
    QLineEdit *m_model = nullptr;
    QSpinBox *m_dimensions = nullptr;
    QSpinBox *m_batchSize = nullptr;
    QSpinBox *m_requestsPerMinute = nullptr;
    QSpinBox *m_tokensPerMinute = nullptr;
    QPushButton *m_embedderTest = nullptr;
    QLabel *m_embedderResult = nullptr;
    QList<QWidget *> m_parserRemote;
    QList<QWidget *> m_embedderRemote;
};

} // namespace Docpipe::Ui
