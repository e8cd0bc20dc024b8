#include "servicespage.h"

#include "apikeyfield.h"
#include "servicestatus.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace Docpipe::Ui {

namespace {

void addTestRow(QFormLayout *form, QPushButton *button, QLabel *result)
{
    result->setWordWrap(true);
    result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *row = new QHBoxLayout;
    row->addWidget(button);
    row->addWidget(result, 1);
    form->addRow(row);
}

void selectData(QComboBox *combo, const QString &value)
{
    combo->setCurrentIndex(qMax(0, combo->findData(value)));
}

} // namespace

ServicesPage::ServicesPage(QWidget *parent)
    : SettingsPage(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(makeParserGroup());
    layout->addWidget(makeEmbedderGroup());
    layout->addStretch(1);
    connect(this, &SettingsPage::changed, this, &ServicesPage::updateEnabled);
    // A test result speaks of the values it was made with.
    connect(this, &SettingsPage::changed, m_parserResult, &QLabel::clear);
    connect(this, &SettingsPage::changed, m_embedderResult, &QLabel::clear);
}

QGroupBox *ServicesPage::makeParserGroup()
{
    auto *group = new QGroupBox(tr("Parser"), this);
    auto *form = new QFormLayout(group);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_parserKind = new QComboBox(group);
    m_parserKind->addItem(tr("Local (PDF, DOCX, HTML, Markdown, text; no network)"), QStringLiteral("local"));
    m_parserKind->addItem(tr("LlamaParse (cloud service)"), QStringLiteral("llamaparse"));
    addField(form, tr("Parser:"), m_parserKind, QStringLiteral("parser/kind"));
    m_parserUrl = new QLineEdit(group);
    addField(form, tr("Base URL:"), m_parserUrl, QStringLiteral("parser/llamaparse_base_url"));
    m_parserKey = new ApiKeyField(QString::fromLatin1(SecretStore::LlamaCloudKey), group);
    addField(form, tr("API key:"), m_parserKey, QStringLiteral("parser/llamaparse_api_key"));
    m_parserKey->lineEdit()->setObjectName(QStringLiteral("parser/llamaparse_api_key"));
    m_parserTest = new QPushButton(tr("Test parser"), group);
    m_parserResult = new QLabel(group);
    addTestRow(form, m_parserTest, m_parserResult);
    m_parserRemote = {m_parserUrl, m_parserKey};

    watch({m_parserKind, m_parserUrl});
    connect(m_parserKey, &ApiKeyField::changed, this, &SettingsPage::changed);
    connect(m_parserTest, &QPushButton::clicked, this, &ServicesPage::testParser);
    return group;
}

QGroupBox *ServicesPage::makeEmbedderGroup()
{
    auto *group = new QGroupBox(tr("Embedder"), this);
    auto *form = new QFormLayout(group);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_embedderKind = new QComboBox(group);
    m_embedderKind->addItem(tr("Local (lexical hashing, 384 dimensions; no network)"), QStringLiteral("local"));
    m_embedderKind->addItem(tr("OpenAI-compatible API (OpenAI, Ollama, vLLM, …)"), QStringLiteral("openai"));
    addField(form, tr("Embedder:"), m_embedderKind, QStringLiteral("embedder/kind"));
    m_embedderUrl = new QLineEdit(group);
    addField(form, tr("Base URL:"), m_embedderUrl, QStringLiteral("embedder/base_url"));
    m_embedderKey = new ApiKeyField(QString::fromLatin1(SecretStore::OpenAiKey), group);
    addField(form, tr("API key:"), m_embedderKey, QStringLiteral("embedder/api_key"));
    m_embedderKey->lineEdit()->setObjectName(QStringLiteral("embedder/api_key"));
    m_model = new QLineEdit(group);
    m_model->setPlaceholderText(tr("the service's default"));
    addField(form, tr("Model:"), m_model, QStringLiteral("embedder/model"));
    m_dimensions = makeSpinBox(0, 1000000, QStringLiteral("embedder/dimensions"));
    m_dimensions->setSpecialValueText(tr("model default"));
    addField(form, tr("Dimensions:"), m_dimensions, QStringLiteral("embedder/dimensions"));
    m_batchSize = makeSpinBox(0, 1000000, QStringLiteral("embedder/batch_size"), tr(" texts"));
    addField(form, tr("Batch size:"), m_batchSize, QStringLiteral("embedder/batch_size"));
    m_requestsPerMinute = makeSpinBox(0, 100000000, QStringLiteral("embedder/requests_per_minute"));
    m_requestsPerMinute->setSpecialValueText(tr("no limit"));
    addField(form, tr("Requests per minute:"), m_requestsPerMinute, QStringLiteral("embedder/requests_per_minute"));
    m_tokensPerMinute = makeSpinBox(0, 2000000000, QStringLiteral("embedder/tokens_per_minute"));
    m_tokensPerMinute->setSpecialValueText(tr("no limit"));
    addField(form, tr("Tokens per minute:"), m_tokensPerMinute, QStringLiteral("embedder/tokens_per_minute"));
    m_embedderTest = new QPushButton(tr("Test embedder"), group);
    m_embedderResult = new QLabel(group);
    addTestRow(form, m_embedderTest, m_embedderResult);
    m_embedderRemote = {m_embedderUrl, m_embedderKey, m_model, m_dimensions, m_batchSize, m_requestsPerMinute, m_tokensPerMinute};

    watch({m_embedderKind, m_embedderUrl, m_model});
    connect(m_embedderKey, &ApiKeyField::changed, this, &SettingsPage::changed);
    connect(m_embedderTest, &QPushButton::clicked, this, &ServicesPage::testEmbedder);
    return group;
}

void ServicesPage::load(const Config &config)
{
    m_loaded = config;
    selectData(m_parserKind, config.parser.kind);
    m_parserUrl->setText(config.parser.llamaBaseUrl);
    m_parserKey->load(config.parser.llamaApiKey);
    selectData(m_embedderKind, config.embedder.kind);
    m_embedderUrl->setText(config.embedder.baseUrl);
    m_embedderKey->load(config.embedder.apiKey);
    m_model->setText(config.embedder.model);
    m_dimensions->setValue(config.embedder.dimensions);
    m_batchSize->setValue(config.embedder.batchSize);
    m_requestsPerMinute->setValue(config.embedder.requestsPerMinute);
    m_tokensPerMinute->setValue(config.embedder.tokensPerMinute);
    updateEnabled();
}

void ServicesPage::apply(Config &config) const
{
    config.parser.kind = m_parserKind->currentData().toString();
    config.parser.llamaBaseUrl = m_parserUrl->text().trimmed();
    config.parser.llamaApiKey = m_parserKey->value();
    config.embedder.kind = m_embedderKind->currentData().toString();
    config.embedder.baseUrl = m_embedderUrl->text().trimmed();
    config.embedder.apiKey = m_embedderKey->value();
    config.embedder.model = m_model->text().trimmed();
    config.embedder.dimensions = m_dimensions->value();
    config.embedder.batchSize = m_batchSize->value();
    config.embedder.requestsPerMinute = m_requestsPerMinute->value();
    config.embedder.tokensPerMinute = m_tokensPerMinute->value();
}

void ServicesPage::readKeySources(SecretStore *secrets)
{
    m_parserKey->readSource(secrets);
    m_embedderKey->readSource(secrets);
}

QList<std::pair<QString, QString>> ServicesPage::editedKeys() const
{
    QList<std::pair<QString, QString>> keys;
    for (const ApiKeyField *field : {m_parserKey, m_embedderKey}) {
        if (field->isEdited())
            keys.append({field->name(), field->value()});
    }
    return keys;
}

Config ServicesPage::formConfig() const
{
    Config config = m_loaded;
    apply(config);
    return config;
}

void ServicesPage::testParser()
{
    runServiceCheck(m_parserTest, m_parserResult, [parser = formConfig().parser] { return Services::checkParserService(parser); });
}

void ServicesPage::testEmbedder()
{
    runServiceCheck(m_embedderTest, m_embedderResult,
                    [embedder = formConfig().embedder] { return Services::checkEmbedderService(embedder); });
}

QString ServicesPage::parserTestResult() const
{
    return m_parserResult->text();
}

QString ServicesPage::embedderTestResult() const
{
    return m_embedderResult->text();
}

void ServicesPage::updateEnabled()
{
    const bool llama = m_parserKind->currentData().toString() == QLatin1String("llamaparse");
    for (QWidget *widget : std::as_const(m_parserRemote))
        widget->parentWidget()->setEnabled(llama);
    const bool openAi = m_embedderKind->currentData().toString() == QLatin1String("openai");
    for (QWidget *widget : std::as_const(m_embedderRemote))
        widget->parentWidget()->setEnabled(openAi);
}

} // namespace Docpipe::Ui
