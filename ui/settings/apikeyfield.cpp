#include "apikeyfield.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace Docpipe::Ui {

ApiKeyField::ApiKeyField(const QString &name, QWidget *parent)
    : QWidget(parent)
    , m_name(name)
    , m_edit(new QLineEdit(this))
    , m_source(new QLabel(this))
{
    m_edit->setEchoMode(QLineEdit::Password);
    m_edit->setPlaceholderText(tr("not set"));
    auto *reveal = m_edit->addAction(QIcon::fromTheme(QStringLiteral("view-visible")), QLineEdit::TrailingPosition);
    reveal->setCheckable(true);
    reveal->setToolTip(tr("Show the key"));
    if (reveal->icon().isNull())
        reveal->setText(tr("Show"));
    connect(reveal, &QAction::toggled, m_edit,
            [this](bool shown) { m_edit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password); });
    m_source->setForegroundRole(QPalette::PlaceholderText);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_edit);
    layout->addWidget(m_source);
    m_source->setText(tr("Checking the system keychain…"));
    connect(m_edit, &QLineEdit::textChanged, this, &ApiKeyField::changed);
}

void ApiKeyField::load(const QString &value)
{
    m_loaded = value;
    m_edit->setText(value);
}

QString ApiKeyField::value() const
{
    return m_edit->text().trimmed();
}

bool ApiKeyField::isEdited() const
{
    return value() != m_loaded;
}

void ApiKeyField::readSource(SecretStore *secrets)
{
    if (!secrets)
        return;
    secrets->read(m_name).then(this, [this](const SecretStore::ReadResult &result) { showSource(result); });
}

void ApiKeyField::showSource(const SecretStore::ReadResult &result)
{
    const QString variable = SecretStore::environmentVariable(m_name);
    QString text;
    switch (result.source) {
    case SecretStore::Source::Keychain:
        text = tr("Stored in the system keychain.");
        if (!isEdited()) {
            m_loaded = result.value;
            m_edit->setText(result.value);
        }
        break;
    case SecretStore::Source::Environment:
        text = tr("From %1; Save stores it in the system keychain.").arg(variable);
        break;
    case SecretStore::Source::None:
        text = tr("Kept in the system keychain, never in the settings file.");
        break;
    }
    if (!result.keychainError.isEmpty())
        text = tr("No system keychain; keys come from %1.").arg(variable);
    m_source->setText(text);
    m_source->setToolTip(result.keychainError);
}

QString ApiKeyField::sourceText() const
{
    return m_source->text();
}

} // namespace Docpipe::Ui
