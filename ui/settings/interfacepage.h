// Settings page: the window's language (the system's, or one chosen here) and when a running job
// reads as stalled.
#pragma once

#include "settingspage.h"

QT_BEGIN_NAMESPACE
class QComboBox;
class QSpinBox;
QT_END_NAMESPACE

namespace Docpipe::Ui {

class InterfacePage final : public SettingsPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InterfacePage)

public:
    explicit InterfacePage(QWidget *parent = nullptr);

    void load(const Config &config) override;
    void apply(Config &config) const override;

    // "" follows the system; "en", "de".
    QString language() const;
    void setLanguage(const QString &code);

private:
    QComboBox *m_language;
    QSpinBox *m_stalledAfter;
};

} // namespace Docpipe::Ui
