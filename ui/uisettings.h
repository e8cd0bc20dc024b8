// The window's own preferences (language override, window geometry and state, column layout),
// typed, in the [ui] group of the window's INI file: no raw QSettings keys in widgets.
#pragma once

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QVariant>

namespace Docpipe::Ui {

// One key of the [ui] group and its default (qBittorrent's SettingValue<T> idea).
template <typename T>
class UiSetting final
{
public:
    UiSetting(const QString &iniPath, const char *key, T defaultValue = T())
        : m_iniPath(iniPath)
        , m_key(QStringLiteral("ui/") + QLatin1String(key))
        , m_default(std::move(defaultValue))
    { }

    T get() const
    {
        const QSettings ini(m_iniPath, QSettings::IniFormat);
        return ini.contains(m_key) ? ini.value(m_key).template value<T>() : m_default;
    }
    void set(const T &value) const
    {
        QSettings ini(m_iniPath, QSettings::IniFormat);
        ini.setValue(m_key, QVariant::fromValue(value));
    }

private:
    QString m_iniPath;
    QString m_key;
    T m_default;
};

class UiSettings final
{
public:
    explicit UiSettings(const QString &iniPath);

    QString iniPath() const { return m_iniPath; }

    // "" follows the system locale; otherwise "en" or "de".
    UiSetting<QString> language() const { return {m_iniPath, "language"}; }
    UiSetting<QByteArray> windowGeometry() const { return {m_iniPath, "window_geometry"}; }
    UiSetting<QByteArray> windowState() const { return {m_iniPath, "window_state"}; }
    UiSetting<QByteArray> jobColumns() const { return {m_iniPath, "job_columns"}; }
    UiSetting<QByteArray> splitterState() const { return {m_iniPath, "splitter_state"}; }

private:
    QString m_iniPath;
};

} // namespace Docpipe::Ui
