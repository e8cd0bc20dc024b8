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

void selectData(QComboBox *combo, const QString &value)
{
    combo->setCurrentIndex(qMax(0, combo->findData(value)));
}

} // namespace

ServicesPage::ServicesPage(QWidget *parent)
    : SettingsPage(parent)
{
    m_parser = makeServiceGroup({tr("Parser"), tr("Parser:"),
                                 tr("Local (PDF, DOCX, HTML, Markdown, text, OCR of scans and images; no network)"),
                                 tr("LlamaParse (cloud service)"), tr("Test parser"), QStringLiteral("llamaparse"),
                                 QStringLiteral("parser"), QStringLiteral("parser/llamaparse_base_url"),
                                 QStringLiteral("parser/llamaparse_api_key"), SecretStore::LlamaCloudKey});
    addParserOptions();
    finishServiceGroup(m_parser, &ServicesPage::testParser);
    m_embedder
        = makeServiceGroup({tr("Embedder"), tr("Embedder:"), tr("Local (lexical hashing, 384 dimensions; no network)"),
                            tr("OpenAI-compatible API (OpenAI, Ollama, vLLM, …)"), tr("Test embedder"),
                            QStringLiteral("openai"), QStringLiteral("embedder"), QStringLiteral("embedder/base_url"),
                            QStringLiteral("embedder/api_key"), SecretStore::OpenAiKey});
    addEmbedderLimits();
    finishServiceGroup(m_embedder, &ServicesPage::testEmbedder);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_parser.box);
    layout->addWidget(m_embedder.box);
    layout->addStretch(1);
    connect(this, &SettingsPage::changed, this, &ServicesPage::updateEnabled);
}

ServicesPage::ServiceGroup ServicesPage::makeServiceGroup(const ServiceText &text)
{
    ServiceGroup group;
    group.box = new QGroupBox(text.title, this);
    group.form = new QFormLayout(group.box);
    group.form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    group.remoteKind = text.remoteKind;
    group.kind = new QComboBox(group.box);
    group.kind->addItem(text.localChoice, QStringLiteral("local"));
    group.kind->addItem(text.remoteChoice, text.remoteKind);
    addField(group.form, text.kindLabel, group.kind, text.section + QStringLiteral("/kind"));
    group.url = new QLineEdit(group.box);
    addField(group.form, tr("Base URL:"), group.url, text.urlKey);
    group.key = new ApiKeyField(QString::fromLatin1(text.secretName), group.box);
    addField(group.form, tr("API key:"), group.key, text.keyKey);
    group.key->lineEdit()->setObjectName(text.keyKey);
    group.test = new QPushButton(text.testLabel, group.box);
    group.result = new QLabel(group.box);
    group.remoteFields = {group.url, group.key};
    watch({group.kind, group.url});
    connect(group.key, &ApiKeyField::changed, this, &SettingsPage::changed);
    return group;
}

// The test row comes last, under any fields of the group's own.
void ServicesPage::finishServiceGroup(ServiceGroup &group, void (ServicesPage::*test)())
{
    group.result->setWordWrap(true);
    group.result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *row = new QHBoxLayout;
    row->addWidget(group.test);
    row->addWidget(group.result, 1);
    group.form->addRow(row);
    connect(group.test, &QPushButton::clicked, this, test);
    // A test result speaks of the values it was made with.
    connect(this, &SettingsPage::changed, group.result, &QLabel::clear);
}

void ServicesPage::addParserOptions()
{
    QFormLayout *form = m_parser.form;
    m_llamaApi = new QComboBox(m_parser.box);
    m_llamaApi->addItem(tr("v2 (current)"), QStringLiteral("v2"));
    m_llamaApi->addItem(tr("v1 (older)"), QStringLiteral("v1"));
    addField(form, tr("API:"), m_llamaApi, QStringLiteral("parser/llamaparse_api"));
    m_llamaTier = new QComboBox(m_parser.box);
    m_llamaTier->addItem(tr("Fast (text only)"), QStringLiteral("fast"));
    m_llamaTier->addItem(tr("Cost-effective"), QStringLiteral("cost_effective"));
    m_llamaTier->addItem(tr("Agentic"), QStringLiteral("agentic"));
    m_llamaTier->addItem(tr("Agentic plus"), QStringLiteral("agentic_plus"));
    addField(form, tr("Tier:"), m_llamaTier, QStringLiteral("parser/llamaparse_tier"));
    m_llamaVersion = new QLineEdit(m_parser.box);
    m_llamaVersion->setPlaceholderText(tr("latest, or a date such as 2026-08-19"));
    addField(form, tr("Version:"), m_llamaVersion, QStringLiteral("parser/llamaparse_version"));
    m_parser.remoteFields << m_llamaApi << m_llamaTier << m_llamaVersion;
    watch({m_llamaApi, m_llamaTier, m_llamaVersion});
}

void ServicesPage::addEmbedderLimits()
{
    QFormLayout *form = m_embedder.form;
    m_model = new QLineEdit(m_embedder.box);
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
    m_embedder.remoteFields << m_model << m_dimensions << m_batchSize << m_requestsPerMinute << m_tokensPerMinute;
    watch({m_model});
}

void ServicesPage::load(const Config &config)
{
    m_loaded = config;
    selectData(m_parser.kind, config.parser.kind);
    m_parser.url->setText(config.parser.llamaBaseUrl);
    m_parser.key->load(config.parser.llamaApiKey);
    selectData(m_llamaApi, config.parser.llamaApi);
    selectData(m_llamaTier, config.parser.llamaTier);
    m_llamaVersion->setText(config.parser.llamaVersion);
    selectData(m_embedder.kind, config.embedder.kind);
    m_embedder.url->setText(config.embedder.baseUrl);
    m_embedder.key->load(config.embedder.apiKey);
    m_model->setText(config.embedder.model);
    m_dimensions->setValue(config.embedder.dimensions);
    m_batchSize->setValue(config.embedder.batchSize);
    m_requestsPerMinute->setValue(config.embedder.requestsPerMinute);
    m_tokensPerMinute->setValue(config.embedder.tokensPerMinute);
    updateEnabled();
}

void ServicesPage::apply(Config &config) const
{
    config.parser.kind = m_parser.kind->currentData().toString();
    config.parser.llamaBaseUrl = m_parser.url->text().trimmed();
    config.parser.llamaApiKey = m_parser.key->value();
    config.parser.llamaApi = m_llamaApi->currentData().toString();
    config.parser.llamaTier = m_llamaTier->currentData().toString();
    config.parser.llamaVersion = m_llamaVersion->text().trimmed();
    config.embedder.kind = m_embedder.kind->currentData().toString();
    config.embedder.baseUrl = m_embedder.url->text().trimmed();
    config.embedder.apiKey = m_embedder.key->value();
    config.embedder.model = m_model->text().trimmed();
    config.embedder.dimensions = m_dimensions->value();
    config.embedder.batchSize = m_batchSize->value();
    config.embedder.requestsPerMinute = m_requestsPerMinute->value();
    config.embedder.tokensPerMinute = m_tokensPerMinute->value();
}

void ServicesPage::readKeySources(SecretStore *secrets)
{
    m_parser.key->readSource(secrets);
    m_embedder.key->readSource(secrets);
}

QList<std::pair<QString, QString>> ServicesPage::editedKeys() const
{
    QList<std::pair<QString, QString>> keys;
    for (const ApiKeyField *field : {m_parser.key, m_embedder.key}) {
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
    runServiceCheck(m_parser.test, m_parser.result,
                    [parser = formConfig().parser] { return Services::checkParserService(parser); });
}

void ServicesPage::testEmbedder()
{
    runServiceCheck(m_embedder.test, m_embedder.result,
                    [embedder = formConfig().embedder] { return Services::checkEmbedderService(embedder); });
}

QString ServicesPage::parserTestResult() const
{
    return m_parser.result->text();
}

QString ServicesPage::embedderTestResult() const
{
    return m_embedder.result->text();
}

void ServicesPage::updateEnabled()
{
    for (const ServiceGroup *group : {&m_parser, &m_embedder}) {
        const bool remote = group->kind->currentData().toString() == group->remoteKind;
        for (QWidget *field : group->remoteFields)
            field->parentWidget()->setEnabled(remote);
    }
}

} // namespace Docpipe::Ui
