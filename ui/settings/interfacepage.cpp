#include "interfacepage.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>

namespace Docpipe::Ui {

InterfacePage::InterfacePage(QWidget *parent)
    : SettingsPage(parent)
    , m_language(new QComboBox(this))
{
    m_language->addItem(tr("System language"), QString());
    // Each language in its own words, so anyone can find theirs.
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    auto *form = new QFormLayout(this);
    addField(form, tr("Language:"), m_language, QStringLiteral("ui/language"));
    auto *note = new QLabel(tr("A new language applies the next time Docpipe starts."), this);
    note->setForegroundRole(QPalette::PlaceholderText);
    note->setWordWrap(true);
    form->addRow(note);
    watch({m_language});
}

QString InterfacePage::language() const
{
    return m_language->currentData().toString();
}

void InterfacePage::setLanguage(const QString &code)
{
    m_language->setCurrentIndex(qMax(0, m_language->findData(code)));
}

} // namespace Docpipe::Ui
