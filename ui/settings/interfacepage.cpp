#include "interfacepage.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>

namespace Docpipe::Ui {

InterfacePage::InterfacePage(QWidget *parent)
    : SettingsPage(parent)
    , m_language(new QComboBox(this))
    , m_stalledAfter(makeSpinBox(10, 7 * 24 * 3600, QStringLiteral("window/stalled_after_seconds"), tr(" s")))
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
    addField(form, tr("Show a job as stalled after:"), m_stalledAfter, QStringLiteral("window/stalled_after_seconds"));
    m_stalledAfter->setToolTip(tr("A running job whose progress has not moved for this long is marked stalled in the "
                                  "jobs table and counted on the dashboard."));
    watch({m_language, m_stalledAfter});
}

void InterfacePage::load(const Config &config)
{
    m_stalledAfter->setValue(config.window.stalledAfterSeconds);
}

void InterfacePage::apply(Config &config) const
{
    config.window.stalledAfterSeconds = m_stalledAfter->value();
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
