// Settings page: the window's language (the system's, or one chosen here).
#pragma once

#include "settingspage.h"

QT_BEGIN_NAMESPACE
class QComboBox;
QT_END_NAMESPACE

namespace Docpipe::Ui {

class InterfacePage final : public SettingsPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InterfacePage)

public:
    explicit InterfacePage(QWidget *parent = nullptr);

    void load(const Config &) override { }
    void apply(Config &) const override { }

    // "" follows the system; "en", "de".
    QString language() const;
    void setLanguage(const QString &code);

private:
    QComboBox *m_language;
};

} // namespace Docpipe::Ui
